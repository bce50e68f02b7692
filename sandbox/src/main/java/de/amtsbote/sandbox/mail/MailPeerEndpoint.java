package de.amtsbote.sandbox.mail;

/**
 * Where a running mail peer is and how to look at it, for {@code endpoints.json} and the demo's summary. Plain strings,
 * so any JSON mapper writes it as it is.
 *
 * @param address     the peer's address (the gateway sends to it; it is also the IMAP login)
 * @param name        its display name
 * @param smtp        where mail for it is received ({@code 127.0.0.1:3025})
 * @param imap        where to look into its mailbox ({@code imap://127.0.0.1:3143}); folders INBOX, Opened, Sent
 * @param password    the IMAP password (sandbox only)
 * @param certificate the PEM file of its certificate chain (the gateway's partner certificate for it)
 * @param receipts    its receipt mode ({@code never}, {@code at-once}, {@code after:PT15S})
 * @param log         its log file ({@code peer-log.jsonl})
 */
public record MailPeerEndpoint(String address, String name, String smtp, String imap, String password,
                               String certificate, String receipts, String log) {
}
