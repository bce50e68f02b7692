package de.amtsbote.gateway.content;

/** A content item as stored: its id, its plaintext size and its SHA-256 (hex). */
public record StoredContent(String id, long size, String sha256) {
}
