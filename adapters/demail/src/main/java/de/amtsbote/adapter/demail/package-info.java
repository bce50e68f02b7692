/**
 * The De-Mail channel (De-Mail-Gesetz, BSI TR 01201): addresses {@code demail:local@domain.de-mail.de}. Entry point
 * {@link de.amtsbote.adapter.demail.DeMailAdapterProvider} (registered for {@link java.util.ServiceLoader}, channel
 * {@code demail}). The wire contract is {@code docs/channels/demail.md}; this is a summary of what the adapter does.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li><b>Out</b>: one De-Mail per delivery, one recipient, submitted to the gateway's De-Mail provider over SMTPS
 *       (or STARTTLS) with the gateway's TLS client certificate from the key vault (TLS 1.3/1.2). Headers exactly as
 *       the contract's section 2, in its order: {@code From, To, Subject, Date, Message-ID, MIME-Version,
 *       x-de-mail-sender, x-de-mail-chosen-recipient: to=…, x-de-mail-confirmation-of-dispatch, -of-receipt,
 *       -of-retrieve, x-de-mail-authoritative, x-de-mail-private} ({@code yes}/{@code no}), {@code x-de-mail-private-id}
 *       (= the delivery id), {@code X-Amtsbote-Reference} (only with a file reference), {@code Content-Type}.
 *       Options: DISPATCH_RECEIPT → confirmation-of-dispatch, DELIVERY_RECEIPT → -of-receipt, RETRIEVAL_RECEIPT →
 *       -of-retrieve and private, PERSONAL → private, SIGN → authoritative (the provider signs), ENCRYPT → the body
 *       is end-to-end S/MIME 4.0 (AuthEnvelopedData for the recipient's certificate around multipart/signed by the
 *       participant), not recorded in any header. Body otherwise {@code multipart/mixed}. The body hashes (SHA-256,
 *       -384, -512, in one pass while the mail is written) are remembered with the Message-ID, sender, recipient and
 *       subject in the channel memory under the private id, before the mail is sent. The transport reference is the
 *       Message-ID with angle brackets.
 *   <li><b>Refused before sending</b> ({@code refusal}): the Abholbestätigung from a sender that is not a public
 *       body; absenderbestätigt (SIGN) from a pseudonym address ({@code pn_…}). Addresses ({@code checkAddress}):
 *       lower case only, local part ≤ 64, domain ≤ 189, whole ≤ 253, a De-Mail domain ({@code de-mail.de} and its
 *       subdomains or {@code domains}), no system address ({@code Versandbestaetigung@…}, …) as recipient, pseudonyms
 *       {@code pn_<name>} without dots.
 *   <li><b>In</b>: the provider's IMAP mailboxes. Confirmations and notifications are believed only after every
 *       check of the contract's section 4: the integrity field is signed and verifies, its certificate validates for
 *       evidence signatures to a De-Mail trust anchor with CN = {@code d=} = the From domain; the XML signature
 *       verifies under the policy and its signer is that certificate; the XML's Type and Sender match the header;
 *       its signed metadata names a delivery the channel remembers (private id, Message-ID, chosen recipient) and its
 *       Hash carries that delivery's body hash. Then Versandbestätigung → DISPATCHED, Eingangsbestätigung → DELIVERED,
 *       Abholbestätigung → RETRIEVED, notification → FAILED ({@code <type>: <Text>}), the mail verbatim as proof
 *       ({@code message/rfc822}, PROVIDER_SIGNED), time from the XML. Normal messages need a verifying integrity field
 *       (signed when absenderbestätigt); end-to-end S/MIME is opened with the addressed participant's keys. Transport
 *       id = {@code X-de-mail-message-id}. Everything that fails is quarantined with the failed check named
 *       ("confirmation rejected: XML signature invalid: …"), never dropped; the mail is deleted from the mailbox only
 *       after the gateway stored the outcome.
 *   <li><b>Proofs about received messages</b>: TR 01201 sends the Eingangs- and Abholbestätigung to the recipient
 *       too. A stored message's integrity field (unfolded, trimmed) is remembered in the channel memory under
 *       {@code received:<SHA-256 of its transport id>} for {@code receipt-window}. An Eingangs- or Abholbestätigung
 *       whose signed metadata names as recipient (actual, else chosen) the mailbox it was found in (the mailbox's
 *       {@code address}, else the confirmation's own chosen recipient), and that address is a participant's, is that
 *       recipient's copy: after the same checks as above (integrity signed, provider certificate, XML signature by
 *       the same certificate, Type, Sender, private id of header = metadata) its {@code Hash} must be exactly the
 *       remembered integrity field of the message whose {@code X-de-mail-message-id} the metadata names; then it goes
 *       to {@code InboundSink.inboundProof} (DELIVERED resp. RETRIEVED, the XML's Time, the mail verbatim as
 *       {@code message/rfc822}, PROVIDER_SIGNED). Read before its message, it stays in the mailbox for the next poll
 *       until {@code confirmation-wait} after its Date has passed, then it is quarantined ("… has not received …").
 *       Any other copy is the sender's and handled as above.
 *   <li><b>Retrieval receipts</b>: none from the gateway. The recipient's provider issues the Abholbestätigung at
 *       the recipient's secure login, signed by the provider; {@code confirmRetrieval} does nothing.
 * </ul>
 *
 * <h2>Settings ({@code amtsbote.channels.demail.*})</h2>
 * <table>
 *   <caption>De-Mail channel settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code submission.host}</td><td>none</td><td>the provider's SMTP submission host. Without it the channel
 *       only receives; a dispatch fails permanently, naming the key</td></tr>
 *   <tr><td>{@code submission.port}</td><td>465 / 587</td><td>by {@code submission.tls}</td></tr>
 *   <tr><td>{@code submission.tls}</td><td>{@code implicit}</td><td>{@code implicit} (SMTPS, as the contract says) or
 *       {@code starttls}; never plain: the provider logs the gateway in by its client certificate. The provider's name
 *       is checked against its certificate</td></tr>
 *   <tr><td>{@code submission.client-key-owner}</td><td>{@code gateway}</td><td>the key-vault owner whose
 *       {@code TLS} key and certificate chain log in (generate it with the CLI: owner, purpose TLS; the provider
 *       registers the certificate's SHA-256 fingerprint with the institution's account). Looked up at every
 *       connection, so a rotated key is used at once</td></tr>
 *   <tr><td>{@code submission.trust-pem}</td><td>the JDK's trust store</td><td>PEM file of the anchors the
 *       provider's TLS server certificate must chain to</td></tr>
 *   <tr><td>{@code submission.connect-timeout}, {@code submission.timeout}</td><td>{@code 10s}, {@code 60s}</td>
 *       <td>to connect; how long the provider may stay silent</td></tr>
 *   <tr><td>{@code submission.helo-name}</td><td>the host name</td><td>name given in EHLO</td></tr>
 *   <tr><td>{@code provider-trust-pem}</td><td>none</td><td>PEM file of the De-Mail trust anchors: provider
 *       signatures (integrity fields, confirmation XML) must validate to one of them. The anchors must also be trust
 *       anchors of the gateway's certificate validator ({@code amtsbote.crypto}), which validates the XML signer and
 *       checks revocation. Without it every signed De-Mail and every confirmation is quarantined
 *       ("certificate untrusted … none is configured")</td></tr>
 *   <tr><td>{@code domains}</td><td>none</td><td>comma-separated further De-Mail domains (providers' own domains)
 *       besides {@code de-mail.de} and its subdomains</td></tr>
 *   <tr><td>{@code max-message-size}</td><td>{@code 20MB}</td><td>largest message in and out (TR 01201: at least
 *       20 MiB net per user); the provider's SIZE is honoured too</td></tr>
 *   <tr><td>{@code receipt-window}</td><td>{@code 90d}</td><td>how long a delivery is remembered for its
 *       confirmations (channel memory)</td></tr>
 *   <tr><td>{@code confirmation-wait}</td><td>{@code 1h}</td><td>how long the recipient's copy of an Eingangs- or
 *       Abholbestätigung read before the message it confirms is left in the mailbox for that message (counted from
 *       the confirmation's Date); later it is quarantined</td></tr>
 *   <tr><td>{@code spool-dir}</td><td>{@code java.io.tmpdir}</td><td>temporary files (mail being built, received,
 *       decrypted); put it on an encrypted volume</td></tr>
 *   <tr><td>{@code imap.<name>.host}, {@code .port}, {@code .tls}, {@code .user}, {@code .password-file} |
 *       {@code .password-env}, {@code .address}, {@code .folder}, {@code .processed}, {@code .idle},
 *       {@code .trust-pem}, {@code .connect-timeout}, {@code .timeout}</td><td>-, 993, implicit, -, -, -, INBOX,
 *       delete, true, JDK, 10s, 60s</td><td>a mailbox at the provider, as for the S/MIME channel
 *       ({@code de.amtsbote.adapter.mail.MailSettings}); {@code address} is the participant's De-Mail address the
 *       mailbox belongs to</td></tr>
 * </table>
 */
package de.amtsbote.adapter.demail;
