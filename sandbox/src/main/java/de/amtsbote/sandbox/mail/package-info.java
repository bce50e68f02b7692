/**
 * The sandbox mail peers: outside parties on the S/MIME e-mail channel (a mail authority, a citizen), each with a
 * mailbox on a mail server on 127.0.0.1 (SubEthaSMTP receiving into GreenMail, which serves IMAP) and a key of its
 * own. They open, log, deduplicate and answer what the gateway sends them (MDNs per {@link
 * de.amtsbote.sandbox.mail.ReceiptMode}, ESS signed receipts), record the receipts the gateway sends back, and send
 * S/MIME mail to gateway participants.
 *
 * <p>Doors: {@link de.amtsbote.sandbox.mail.MailPeers} (start, ports, peers), {@link
 * de.amtsbote.sandbox.mail.MailPeer} (send, log, stats), the configuration records {@link
 * de.amtsbote.sandbox.mail.MailPeersConfig} and {@link de.amtsbote.sandbox.mail.MailPeerConfig}, and the values
 * {@link de.amtsbote.sandbox.mail.OutgoingMail}, {@link de.amtsbote.sandbox.mail.MailLogEntry}, {@link
 * de.amtsbote.sandbox.mail.MailPeerStats}, {@link de.amtsbote.sandbox.mail.MailPeerEndpoint}.
 *
 * <p>Written from the module's {@code mail-peers.md} and the RFCs it names, never from the gateway's adapter.
 */
package de.amtsbote.sandbox.mail;
