package de.amtsbote.sandbox.loopback;

import java.time.Instant;

/**
 * One line of {@code peer-log.jsonl}: one message delivery request, whatever its outcome.
 *
 * @param deliveryId the {@code X-Delivery-Id}, or null if the request had none
 * @param attempt    the {@code X-Attempt}, or 0 if missing or malformed
 * @param start      when the request reached the peer
 * @param end        when the answer was ready; taken just before it is written, so the line is on disk before the
 *                   gateway sees the answer
 * @param bytes      body bytes read
 * @param duplicate  whether the delivery id had been received before
 * @param status     the answer's status; 0 if the connection broke before an answer
 * @param fault      whether the answer was an injected fault
 */
public record PeerLogEntry(String deliveryId, String messageId, String node, int attempt, String mailbox,
                           Instant start, Instant end, long bytes, boolean duplicate, int status, boolean fault) {
}
