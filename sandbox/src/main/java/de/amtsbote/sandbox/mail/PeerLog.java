package de.amtsbote.sandbox.mail;

import de.amtsbote.sandbox.JsonLines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A peer's log, {@code peer-log.jsonl}: one JSON document a line, appended with one write call each and flushed before
 * {@link #append} returns, so a killed process loses nothing it did. A last line cut off by a crash is dropped when
 * the file is opened again. The statistics are counted from the same lines, so they survive a restart as the log does.
 */
final class PeerLog implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Nine fraction digits, so lines compare as text and close events stay distinct. */
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final JsonLines lines;
    private long received;
    private long unreadable;
    private long duplicates;
    private long receiptsSent;
    private long receiptsFailed;
    private long receiptsReceived;
    private long sent;

    private PeerLog(Path file) throws IOException {
        this.file = file;
        this.lines = JsonLines.open(file, JSON);
    }

    static PeerLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        PeerLog log = new PeerLog(file);
        for (MailLogEntry e : log.entries()) {
            log.count(e);
        }
        return log;
    }

    Path file() {
        return file;
    }

    synchronized void append(MailLogEntry entry) {
        lines.append(toJson(entry));
        count(entry);
    }

    synchronized MailPeerStats stats() {
        return new MailPeerStats(received, unreadable, duplicates, receiptsSent, receiptsFailed, receiptsReceived,
                sent);
    }

    /** Every line, oldest first; also lines another process (the {@code send} command) appended. */
    synchronized List<MailLogEntry> entries() {
        List<MailLogEntry> entries = new ArrayList<>();
        List<JsonNode> documents = lines.readAll();
        for (int i = 0; i < documents.size(); i++) {
            try {
                entries.add(fromJson(documents.get(i)));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalStateException(file + " entry " + (i + 1) + " is not a log entry: " + e.getMessage(),
                        e);
            }
        }
        return entries;
    }

    @Override
    public synchronized void close() throws IOException {
        lines.close();
    }

    private void count(MailLogEntry e) {
        switch (e.event()) {
            case RECEIVED -> {
                received++;
                if (Boolean.FALSE.equals(e.readable())) {
                    unreadable++;
                }
            }
            case DUPLICATE -> duplicates++;
            case RECEIPT_SENT -> receiptsSent++;
            case RECEIPT_FAILED -> receiptsFailed++;
            case RECEIPT_RECEIVED -> receiptsReceived++;
            case SENT -> sent++;
            default -> throw new IllegalStateException("unknown event " + e.event());
        }
    }

    // ------------------------------------------------------------------ JSON

    static ObjectNode toJson(MailLogEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", INSTANT.format(e.time()));
        o.put("event", e.event().jsonName());
        put(o, "messageId", e.messageId());
        put(o, "from", e.from());
        put(o, "to", e.to());
        put(o, "subject", e.subject());
        put(o, "encrypted", e.encrypted());
        put(o, "decrypted", e.decrypted());
        put(o, "signed", e.signed());
        put(o, "signatureValid", e.signatureValid());
        put(o, "signer", e.signer());
        list(o, "signerAddresses", e.signerAddresses());
        put(o, "readable", e.readable());
        list(o, "flags", e.flags());
        put(o, "problem", e.problem());
        if (!e.attachments().isEmpty()) {
            ArrayNode a = o.putArray("attachments");
            for (MailLogEntry.Attachment at : e.attachments()) {
                a.addObject().put("name", at.name()).put("contentType", at.contentType()).put("size", at.size())
                        .put("sha256", at.sha256());
            }
        }
        put(o, "dispositionNotificationTo", e.dispositionNotificationTo());
        put(o, "essReceiptRequested", e.essReceiptRequested());
        list(o, "receiptsPlanned", e.receiptsPlanned());
        put(o, "originalMessageId", e.originalMessageId());
        put(o, "receipt", e.receipt());
        put(o, "matchesSent", e.matchesSent());
        return o;
    }

    static MailLogEntry fromJson(JsonNode n) {
        List<MailLogEntry.Attachment> attachments = new ArrayList<>();
        JsonNode a = n.get("attachments");
        if (a != null) {
            for (JsonNode at : a) {
                attachments.add(new MailLogEntry.Attachment(text(at, "name"), text(at, "contentType"),
                        at.get("size").longValue(), text(at, "sha256")));
            }
        }
        return new MailLogEntry(Instant.parse(text(n, "time")), MailLogEntry.Event.ofJson(text(n, "event")),
                text(n, "messageId"), text(n, "from"), text(n, "to"), text(n, "subject"), flag(n, "encrypted"),
                flag(n, "decrypted"), flag(n, "signed"), flag(n, "signatureValid"), text(n, "signer"),
                texts(n, "signerAddresses"), flag(n, "readable"), texts(n, "flags"), text(n, "problem"), attachments,
                text(n, "dispositionNotificationTo"), flag(n, "essReceiptRequested"), texts(n, "receiptsPlanned"),
                text(n, "originalMessageId"), text(n, "receipt"), flag(n, "matchesSent"));
    }

    private static void put(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static void put(ObjectNode o, String key, Boolean value) {
        if (value != null) {
            o.put(key, value.booleanValue());
        }
    }

    private static void list(ObjectNode o, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(key);
            values.forEach(a::add);
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.stringValue();
    }

    private static Boolean flag(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.booleanValue();
    }

    private static List<String> texts(JsonNode n, String key) {
        JsonNode v = n.get(key);
        List<String> out = new ArrayList<>();
        if (v != null) {
            v.forEach(x -> out.add(x.stringValue()));
        }
        return out;
    }
}
