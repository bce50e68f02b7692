package de.amtsbote.gateway.bundle;

/** An evidence document as the bundle holds it: its file name in the zip and what the report shows of it. */
record BundleEntry(String file, EvidenceFacts facts) {
}
