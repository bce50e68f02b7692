package de.amtsbote.sandbox.loopback;

import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The headers of one delivery ({@code POST /mailboxes/{mailbox}/messages}), checked. Subject, reference and the
 * fields of {@code X-Parts} are percent-encoded UTF-8 (see {@link PercentDecoding}); everything else is ASCII.
 *
 * @param parts the declared body layout: part 0 is the message body ({@code text/plain}), then the attachments
 */
record DeliveryHeaders(String deliveryId, String messageId, int attempt, String node, String sender, String subject,
                       String reference, List<DeclaredPart> parts) {

    /** One entry of {@code X-Parts}: {@code name;mediaType;size}. */
    record DeclaredPart(String name, String mediaType, long size) {
    }

    /** More parts than any real message has; a guard against a header that would make the peer open many files. */
    private static final int MAX_PARTS = 1000;

    static DeliveryHeaders parse(Headers headers) {
        String contentType = headers.getFirst("Content-Type");
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
            throw PeerException.badRequest("Content-Type must be application/octet-stream, got " + contentType);
        }
        String attempt = required(headers, "X-Attempt");
        int attemptNumber;
        try {
            attemptNumber = Integer.parseInt(attempt);
        } catch (NumberFormatException e) {
            throw PeerException.badRequest("header X-Attempt must be a whole number, got '" + attempt + "'");
        }
        if (attemptNumber < 1) {
            throw PeerException.badRequest("header X-Attempt must be 1 or more, got " + attemptNumber);
        }
        String sender = required(headers, "X-Sender");
        if (sender.indexOf('@') <= 0) {
            throw PeerException.badRequest("header X-Sender must be an address <name>@<domain>, got '" + sender + "'");
        }
        String reference = headers.getFirst("X-Reference");
        return new DeliveryHeaders(
                required(headers, "X-Delivery-Id"),
                required(headers, "X-Message-Id"),
                attemptNumber,
                required(headers, "X-Node"),
                sender,
                decoded("X-Subject", present(headers, "X-Subject")),
                reference == null ? null : decoded("X-Reference", reference),
                parts(required(headers, "X-Parts")));
    }

    long declaredBytes() {
        long total = 0;
        for (DeclaredPart part : parts) {
            total += part.size();
        }
        return total;
    }

    private static List<DeclaredPart> parts(String header) {
        String[] entries = header.split(",", -1);
        if (entries.length > MAX_PARTS) {
            throw PeerException.badRequest("X-Parts lists " + entries.length + " parts, at most " + MAX_PARTS
                    + " are accepted");
        }
        List<DeclaredPart> parts = new ArrayList<>();
        for (String entry : entries) {
            String[] fields = entry.trim().split(";", -1);
            if (fields.length != 3) {
                throw PeerException.badRequest("X-Parts entry '" + entry + "' is not name;mediaType;size");
            }
            String name = decoded("X-Parts", fields[0]);
            String mediaType = decoded("X-Parts", fields[1]);
            long size;
            try {
                size = Long.parseLong(fields[2]);
            } catch (NumberFormatException e) {
                throw PeerException.badRequest("X-Parts entry '" + entry + "' has no valid size");
            }
            if (name.isBlank() || mediaType.isBlank() || size < 0) {
                throw PeerException.badRequest("X-Parts entry '" + entry + "' needs a name, a media type and a size"
                        + " of 0 or more");
            }
            parts.add(new DeclaredPart(name, mediaType, size));
        }
        if (!parts.get(0).mediaType().toLowerCase(Locale.ROOT).startsWith("text/plain")) {
            throw PeerException.badRequest("X-Parts part 0 is the message body and must be text/plain, got "
                    + parts.get(0).mediaType());
        }
        return parts;
    }

    private static String required(Headers headers, String name) {
        String value = headers.getFirst(name);
        if (value == null || value.isBlank()) {
            throw PeerException.badRequest("header " + name + " is missing");
        }
        return value.trim();
    }

    /** For headers that must be there but may be empty (an empty subject). */
    private static String present(Headers headers, String name) {
        String value = headers.getFirst(name);
        if (value == null) {
            throw PeerException.badRequest("header " + name + " is missing");
        }
        return value.trim();
    }

    private static String decoded(String header, String value) {
        try {
            return PercentDecoding.decode(value);
        } catch (IllegalArgumentException e) {
            throw PeerException.badRequest("header " + header + ": " + e.getMessage());
        }
    }
}
