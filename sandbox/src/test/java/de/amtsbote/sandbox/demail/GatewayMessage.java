package de.amtsbote.sandbox.demail;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A message as the gateway writes it per the wire contract section 2 (fields in that order, lower-case De-Mail
 * names), with each field replaceable or removable to break exactly one rule.
 */
final class GatewayMessage {

    final Map<String, String> fields = new LinkedHashMap<>();
    String body = "Sehr geehrte Frau Mustermann,\r\nanbei der Bescheid.\r\n";

    GatewayMessage(String from, String to, String subject) {
        String id = UUID.randomUUID().toString();
        fields.put("From", "<" + from + ">");
        fields.put("To", "<" + to + ">");
        fields.put("Subject", encoded(subject));
        fields.put("Date", "Wed, 25 Nov 2026 09:30:00 +0000");
        fields.put("Message-ID", "<" + id + "@" + from.substring(from.indexOf('@') + 1) + ">");
        fields.put("MIME-Version", "1.0");
        fields.put("x-de-mail-sender", from);
        fields.put("x-de-mail-chosen-recipient", "to=" + to);
        fields.put("x-de-mail-confirmation-of-dispatch", "no");
        fields.put("x-de-mail-confirmation-of-receipt", "no");
        fields.put("x-de-mail-confirmation-of-retrieve", "no");
        fields.put("x-de-mail-authoritative", "no");
        fields.put("x-de-mail-private", "no");
        fields.put("x-de-mail-private-id", id);
        fields.put("Content-Type", "text/plain; charset=UTF-8");
    }

    /** RFC 2047 (UTF-8, B) as the gateway writes a subject that is not plain ASCII. */
    static String encoded(String text) {
        try {
            return jakarta.mail.internet.MimeUtility.encodeText(text, "UTF-8", "B");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    GatewayMessage set(String field, String value) {
        if (value == null) {
            fields.remove(field);
        } else {
            fields.put(field, value);
        }
        return this;
    }

    String privateId() {
        return fields.get("x-de-mail-private-id");
    }

    String messageId() {
        return fields.get("Message-ID");
    }

    byte[] bytes() {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        b.append("\r\n").append(body);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
