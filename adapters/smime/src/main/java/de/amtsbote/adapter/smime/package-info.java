/**
 * The S/MIME e-mail channel: addresses {@code smime:local@domain}. Entry point
 * {@link de.amtsbote.adapter.smime.SmimeAdapterProvider} (registered for {@link java.util.ServiceLoader}), the
 * adapter is {@link de.amtsbote.adapter.smime.SmimeAdapter}.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li><b>Out</b>: one mail per delivery to the configured SMTP relay (Jakarta Mail / Angus), S/MIME 4.0
 *       sign-then-encrypt with the sending participant's key and the recipient's certificate from the participant
 *       directory. Connections are pooled ({@code relay.pool-size}) and use {@code TCP_NODELAY}.
 *   <li><b>In</b>: an SMTP listener (SubEthaSMTP) and IMAP mailboxes on an existing mail server, with IDLE where the
 *       server offers it. Mail is decrypted with the addressed participant's keys (the current one and those in their
 *       rotation overlap), verified under the algorithm policy, and stored; what fails is quarantined with a named
 *       reason (see {@code Quarantine}), never dropped.
 *   <li><b>Receipts</b>: MDNs (RFC 8098), DSNs (RFC 3464) and ESS signed receipts (RFC 2634) become transport
 *       receipts of the delivery they answer; when a client system takes an inbound message that asked for a receipt,
 *       the channel sends a signed MDN.
 * </ul>
 *
 * <h2>Settings ({@code amtsbote.channels.smime.*})</h2>
 * <table>
 *   <caption>S/MIME channel settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code relay.host}</td><td>none</td><td>the SMTP relay all outbound mail goes to (the authority's mail
 *       server or the peer's). Without it the channel only receives; a dispatch fails permanently, naming the key</td></tr>
 *   <tr><td>{@code relay.port}</td><td>25 / 587 / 465</td><td>by {@code relay.tls}: none, starttls, implicit</td></tr>
 *   <tr><td>{@code relay.tls}</td><td>{@code starttls}</td><td>{@code none} (loopback and tests only),
 *       {@code starttls} (must succeed, else the connection fails), {@code implicit} (SMTPS); the server's name is
 *       checked against its certificate</td></tr>
 *   <tr><td>{@code relay.user}</td><td>none</td><td>SMTP AUTH user; then {@code relay.password-file} or
 *       {@code relay.password-env} is required (never the password itself)</td></tr>
 *   <tr><td>{@code relay.trust-pem}</td><td>the JDK's trust store</td><td>PEM file of the anchors the relay's TLS
 *       certificate must chain to</td></tr>
 *   <tr><td>{@code relay.connect-timeout}</td><td>{@code 10s}</td><td>to connect; also how long a dispatch waits for a
 *       free pooled connection</td></tr>
 *   <tr><td>{@code relay.timeout}</td><td>{@code 60s}</td><td>how long the relay may stay silent</td></tr>
 *   <tr><td>{@code relay.pool-size}</td><td>4</td><td>connections kept open and mails sent at once</td></tr>
 *   <tr><td>{@code relay.helo-name}</td><td>the host name</td><td>name given in EHLO</td></tr>
 *   <tr><td>{@code listen.enabled}</td><td>{@code true}</td><td>run the inbound SMTP listener</td></tr>
 *   <tr><td>{@code listen.host}</td><td>{@code 127.0.0.1}</td><td>address to bind; put a real MTA (Postfix) in front
 *       for the internet, which does TLS and spam filtering</td></tr>
 *   <tr><td>{@code listen.port}</td><td>2525</td><td>0 picks a free port (tests)</td></tr>
 *   <tr><td>{@code listen.timeout}</td><td>{@code 5m}</td><td>idle time before the listener drops a client</td></tr>
 *   <tr><td>{@code max-message-size}</td><td>{@code 50MB}</td><td>largest mail in and out (announced as SIZE; larger
 *       SMTP DATA is refused with 552 while it arrives and nothing is stored; a larger IMAP mail is quarantined as
 *       {@code oversized})</td></tr>
 *   <tr><td>{@code require-signature}</td><td>{@code true}</td><td>quarantine inbound mail that is not signed
 *       (also encrypted-only mail). Authorities act on what they receive; an unsigned mail cannot be attributed.
 *       Set to false only for a mailbox that must take plain citizen mail; such messages are stored as UNSIGNED</td></tr>
 *   <tr><td>{@code receipt-window}</td><td>{@code 90d}</td><td>how long what was sent is remembered for receipts
 *       (channel memory) and the receipt address of an inbound message is kept for the retrieval MDN</td></tr>
 *   <tr><td>{@code spool-dir}</td><td>{@code java.io.tmpdir}</td><td>temporary files (mail being built, received,
 *       decrypted); each is deleted when its mail is done. Put it on an encrypted volume: decrypted content passes
 *       through it</td></tr>
 *   <tr><td>{@code imap.<name>.host}, {@code .port}</td><td>-, 993 / 143</td><td>an IMAP mailbox to poll (several
 *       names allowed)</td></tr>
 *   <tr><td>{@code imap.<name>.tls}</td><td>{@code implicit}</td><td>none, starttls, implicit</td></tr>
 *   <tr><td>{@code imap.<name>.user}, {@code .password-file} | {@code .password-env}</td><td>-</td><td>login</td></tr>
 *   <tr><td>{@code imap.<name>.folder}</td><td>{@code INBOX}</td><td>folder to read</td></tr>
 *   <tr><td>{@code imap.<name>.address}</td><td>To and Cc</td><td>the participant address the mailbox belongs to
 *       (mail in it is for that participant even when it came by Bcc or a list)</td></tr>
 *   <tr><td>{@code imap.<name>.processed}</td><td>{@code delete}</td><td>after the gateway stored a mail:
 *       {@code delete}, {@code seen} (only unseen mail is fetched) or {@code move:<folder>}</td></tr>
 *   <tr><td>{@code imap.<name>.idle}</td><td>{@code true}</td><td>keep a second connection in IDLE and fetch at once
 *       when the server announces mail (only where the server offers IDLE; polling runs anyway)</td></tr>
 *   <tr><td>{@code imap.<name>.trust-pem}, {@code .connect-timeout}, {@code .timeout}</td><td>JDK, 10s, 60s</td>
 *       <td>as for the relay</td></tr>
 * </table>
 *
 * <h2>Wire format (interop contract with the sandbox peers)</h2>
 * Outbound: {@code From} the participant's smime address, {@code To}, {@code Subject} (RFC 2047 UTF-8 where not
 * plain ASCII), {@code Date}, {@code Message-ID: <deliveryId@sender-domain>} (stable across attempts; a delivery id
 * that is not a dot-atom is written {@code x-<hex of its UTF-8>}), {@code MIME-Version}, {@code X-Amtsbote-Reference},
 * {@code Disposition-Notification-To} when a delivery or retrieval receipt is asked. Body: sign-then-encrypt
 * ({@code authEnveloped-data} around {@code multipart/signed} around {@code multipart/mixed}: text/plain UTF-8
 * quoted-printable, attachments base64 with {@code filename*=} RFC 2231, continuations for long names), or the
 * parts of it that the options ask for. A retrieval receipt request also puts an ESS receiptRequest (receipts to the
 * sender address) into the signature. Where the relay announces DSN: {@code NOTIFY=SUCCESS,FAILURE}, {@code RET=HDRS},
 * {@code ENVID=<deliveryId as xtext>}.
 *
 * <p>The transport reference of a delivery and the transport id of an inbound mail are the Message-ID <em>with</em>
 * angle brackets. An inbound mail without one is named {@code sha256:<hex of its bytes>}; a mail for several
 * participants is stored once per participant, the transport id followed by a space and the participant's address.
 *
 * <h2>Receipts</h2>
 * <ul>
 *   <li>MDN: {@code processed}/{@code dispatched} → DELIVERED, {@code displayed} → RETRIEVED, {@code deleted} → FAILED;
 *       correlated by {@code Original-Message-ID}. DSN: {@code delivered}/{@code expanded} → DELIVERED,
 *       {@code relayed} → DISPATCHED, {@code failed} → FAILED with status and diagnostic, {@code delayed} → nothing;
 *       correlated by {@code Original-Envelope-Id} or the returned headers' Message-ID. ESS signed receipt →
 *       RETRIEVED, checked with {@code SmimeOpener.verifyReceipt} against the remembered signature.
 *   <li>Assurance RECIPIENT_SIGNED only if the receipt's S/MIME signature is valid, its certificate's rfc822Name is
 *       the receipt's Final-Recipient, and that is the recipient the delivery went to; anything else is recorded as
 *       UNAUTHENTICATED (weak evidence), never dropped. The proof is the receipt mail verbatim
 *       ({@code message/rfc822}, up to the proof limit of 1 MiB). Its time is the signer's signing time for a
 *       recipient-signed receipt, else the mail's Date.
 *   <li>Quarantined instead: an unreadable report, one that names no Message-ID we can use, an ESS receipt for a
 *       content identifier we do not remember or that does not match what we signed, an ESS receipt inside an
 *       encrypted layer (not read).
 * </ul>
 *
 * <h2>Learning partner certificates ({@code PartyDirectory.offer}), suggested rule</h2>
 * The channel offers a signer's chain only for a message it accepted whose signature and certificate path were valid
 * and whose certificate's rfc822Name is the From address. The directory should keep it for encryption to that address
 * only if, in addition: the certificate allows encryption (keyEncipherment for RSA, keyAgreement for EC, and
 * emailProtection if it has an extended key usage), it validates for {@code MESSAGE_ENCRYPTION} now, the policy would
 * encrypt for its key, and no certificate is configured for the address (configured ones always win). Among learned
 * ones the newest valid replaces the older; each learning is an audit event; learned certificates are re-validated
 * at use (the encryptor does) and dropped when they expire or are revoked.
 */
package de.amtsbote.adapter.smime;
