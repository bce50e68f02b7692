/**
 * Building blocks shared by the mail-based channels — S/MIME e-mail ({@code de.amtsbote.adapter.smime}) and De-Mail
 * ({@code de.amtsbote.adapter.demail}) — so that both write and read mail the same way:
 * <ul>
 *   <li>{@link de.amtsbote.adapter.mail.MailAddresses}: RFC 5321 mailbox syntax ({@code local@domain}, no display
 *       names), which De-Mail narrows further;</li>
 *   <li>{@link de.amtsbote.adapter.mail.HeaderText}: header text in (RFC 2047 / 2231 encoding, header-injection
 *       refusal) and out (decoding);</li>
 *   <li>{@link de.amtsbote.adapter.mail.OutboundMail}: the outbound body — {@code multipart/mixed} with the body text
 *       quoted-printable and attachments base64, optionally S/MIME 4.0 sign-then-encrypt — written as a stream, with
 *       CRLF and 7-bit only; stable Message-IDs from delivery ids;</li>
 *   <li>{@link de.amtsbote.adapter.mail.MessageIds}: Message-IDs as transport references, with angle brackets;</li>
 *   <li>{@link de.amtsbote.adapter.mail.Sockets}: socket factories with {@code TCP_NODELAY} and configured TLS trust;</li>
 *   <li>{@link de.amtsbote.adapter.mail.ImapMailbox} and {@link de.amtsbote.adapter.mail.MailSettings}: IMAP mailboxes
 *       polled (and IDLEd) for mail, configured the same way on every mail channel under {@code imap.<name>.*}.</li>
 * </ul>
 * Not an adapter: it has no {@code ChannelAdapterProvider}.
 */
package de.amtsbote.adapter.mail;
