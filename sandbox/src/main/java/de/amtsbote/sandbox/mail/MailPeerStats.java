package de.amtsbote.sandbox.mail;

/**
 * Counts over a peer's log, including earlier runs on the same data directory.
 *
 * @param received         new messages that arrived (not counting duplicates and receipts)
 * @param unreadable       of those, the ones the peer could not decrypt or verify
 * @param duplicates       arrivals with a Message-ID seen before
 * @param receiptsSent     MDNs and ESS signed receipts the peer handed to the gateway
 * @param receiptsFailed   receipts that could not be handed over after every attempt
 * @param receiptsReceived MDNs, ESS signed receipts and DSNs that arrived for the peer
 * @param sent             messages the peer sent to gateway participants
 */
public record MailPeerStats(long received, long unreadable, long duplicates, long receiptsSent, long receiptsFailed,
                            long receiptsReceived, long sent) {
}
