/**
 * The sandbox De-Mail network: several DMDAs (De-Mail-Diensteanbieter, providers) in one process, the independent
 * reference implementation of the provider side of {@code docs/channels/demail.md} (the wire contract) and
 * TR 01201. It shares no code with the gateway's adapter, so a misunderstanding of the contract shows up as a
 * failing test instead of being mirrored on both sides.
 *
 * <h2>What a provider does</h2>
 * <ul>
 *   <li><b>Submission</b> (contract section 2): SMTPS on 127.0.0.1 (implicit TLS 1.2/1.3, client certificate
 *   required, chaining to the provider's client CA). The certificate's SHA-256 fingerprint selects an institutional
 *   {@link de.amtsbote.sandbox.demail.AccountConfig account}; an unknown certificate gets {@code 530 5.7.0} for
 *   every command after EHLO. Every rule of the refusal table is enforced with its reply; the message is spooled to
 *   a file while its size is counted. {@code (account, Message-ID)} is remembered for 24 h.</li>
 *   <li><b>Acceptance</b> (section 3): the provider's fields and {@code X-de-mail-integrity} (hash only, or ECDSA /
 *   RSASSA-PSS signed for authoritative messages, with {@code X-de-mail-signature-certificate}).</li>
 *   <li><b>Delivery</b> between providers in process; deposit into the recipient's mailbox (GreenMail, IMAP).</li>
 *   <li><b>Confirmations and notifications</b> (section 4): Versandbestätigung (dispatch) by the sender's DMDA at
 *   acceptance, Eingangsbestätigung (receipt) by the recipient's DMDA at deposit to sender and recipient,
 *   Abholbestätigung (retrieval) at the recipient's secure login to both; Meldungen (notifications)
 *   {@code unknown-recipient} (domain no provider serves: from the sender's DMDA; unknown local part: from the
 *   recipient's) and {@code closed-account}. Each is {@code multipart/mixed} with the XML ({@code urn:de-mail},
 *   enveloped XML-DSig) and a PDF rendering, with a signed integrity field.</li>
 * </ul>
 *
 * <h2>Java API (what a gateway test calls)</h2>
 * <pre>{@code
 * DeMailPki pki = DeMailPki.generateOrLoad(dir.resolve("pki"), clock);      // or bring your own PEM files
 * Path gatewayCert = pki.ensureClient("gateway");                           // + pki.clientKey("gateway")
 * ProviderConfig a = ProviderConfig.builder("dmda-a", "dmda-a.de-mail.de").domain("bad-vilbel.de-mail.de")
 *         .smtpPort(0).imapPort(0)
 *         .signing(certPem, keyPem).tls(tlsPem, tlsKeyPem).clientCa(caPem)  // or .pki(pki) for what is not set
 *         .account(AccountConfig.builder("amtsbote").holder("Stadt Bad Vilbel").publicBody(true)
 *                 .clientCertificate(gatewayCert)                           // or .clientFingerprint("ab12…")
 *                 .address("poststelle@bad-vilbel.de-mail.de").password("demo").build())
 *         .build();
 * ProviderConfig b = ProviderConfig.builder("dmda-b", "dmda-b.de-mail.de").pki(pki)
 *         .mailbox(MailboxConfig.builder("erika.mustermann@dmda-b.de-mail.de").holder("Erika Mustermann")
 *                 .password("erika").secureLogin(SecureLoginTimer.parse("after:15s")).build())
 *         .build();
 * try (DeMailProviders demail = DeMailProviders.start(DeMailConfig.builder(dataDir).provider(a).provider(b)
 *         .clock(clock).build())) {
 *     int smtps = demail.provider("dmda-a").smtpPort();                     // gateway submits here
 *     int imap = demail.provider("dmda-a").imapPort();                      // login = address, password
 *     demail.mailbox("erika.mustermann@dmda-b.de-mail.de").secureLogin();   // Abholbestätigungen now
 *     demail.mailbox("erika.mustermann@dmda-b.de-mail.de").send(OutgoingDeMail.to("poststelle@bad-vilbel.de-mail.de")
 *             .subject("Antrag").body("…").receiptConfirmation().build());  // inbound for the gateway
 *     demail.provider("dmda-a").faults().tempFail(2);                       // next 2 transactions: 451 4.3.0
 *     demail.provider("dmda-a").stopSmtp(); … startSmtp();                  // same port; also stopImap/startImap
 *     demail.provider("dmda-a").log();                                      // events, see DeMailEvent
 * }
 * }</pre>
 * Trust anchor for the gateway ({@code provider-trust-pem}): the PKI's {@code ca.pem} ({@link
 * de.amtsbote.sandbox.demail.DeMailPki#anchorFile()}); it also issued the TLS server certificate ({@code localhost},
 * {@code 127.0.0.1}).
 *
 * <h2>JSON ({@link de.amtsbote.sandbox.demail.DeMailConfig#read}, {@code Sandbox --demail=demail.json})</h2>
 * <pre>{@code
 * {
 *   "data-dir": "data/demail",            // logs <data-dir>/<provider>/demail-log.jsonl and spool files
 *   "pki-dir": "pki/demail",              // optional: PEMs a provider does not name come from a DeMailPki here
 *   "max-message-bytes": 47185920,        // SIZE in EHLO (default 45 MiB)
 *   "http-port": 8282,                    // optional; 0 = a free port
 *   "trust-anchors": "pki/ca.pem",        // optional: CAs of end-to-end S/MIME certificates
 *   "providers": [
 *     {"name": "dmda-a", "dmda-domain": "dmda-a.de-mail.de", "domains": ["bad-vilbel.de-mail.de"],
 *      "smtp-port": 1465, "imap-port": 1143,
 *      "signing-certificate": "…pem", "signing-key": "…key.pem", "tls-certificate": "…", "tls-key": "…",
 *      "client-ca": "…pem",
 *      "accounts": [{"id": "amtsbote", "holder": "Stadt Bad Vilbel", "public-body": true,
 *                    "client-certificates": ["pki/gateway-tls.pem"], "client-fingerprints": ["ab12…"],
 *                    "addresses": ["poststelle@bad-vilbel.de-mail.de"], "password": "demo"}],
 *      "mailboxes": [{"address": "erika.mustermann@dmda-a.de-mail.de", "holder": "Erika Mustermann",
 *                     "password": "erika", "closed": false, "public-body": false, "secure-login": "after:15s",
 *                     "encryption-certificate": "…pem", "encryption-key": "…key.pem"}]}
 *   ]
 * }
 * }</pre>
 * Relative paths are resolved against the file's directory; unknown keys are refused.
 *
 * <h2>HTTP endpoint ({@code http-port}, 127.0.0.1)</h2>
 * {@code POST /demail/mailboxes/{address}/secure-login}, {@code POST /demail/mailboxes/{address}/send} (JSON: to,
 * subject, body, attachments, privateId, personal, authoritative, dispatchConfirmation, receiptConfirmation,
 * retrieveConfirmation, recipientCertificate), {@code GET /demail/mailboxes/{address}/messages},
 * {@code GET /demail/log[?provider=name]}.
 *
 * <h2>Deviations from real providers and choices beyond the contract</h2>
 * <ul>
 *   <li>The inter-provider hop (SMTP on port 1465 with domain encryption, DNS CERT records) is not modelled.</li>
 *   <li>One network thread delivers asynchronously after the {@code 250}; real providers may take hours.</li>
 *   <li>Also refused at the end of DATA with {@code 554 5.6.0 invalid-format}: a missing {@code From},
 *   {@code Date} or {@code Message-ID}, and any field only a provider writes ({@code X-de-mail-message-type},
 *   {@code X-de-mail-integrity}, …): since the first occurrence of a field wins, a sender could otherwise pass
 *   off a message as a confirmation.</li>
 *   <li>A second {@code RCPT TO} gets {@code 452 4.5.3}; SMTP syntax errors {@code 501 5.5.4}; order errors
 *   {@code 503 5.5.1}.</li>
 *   <li>{@code X-de-mail-auth-mechanism} is {@code tls-client-certificate} for accounts and {@code sandbox-webmail}
 *   for sandbox mailboxes; {@code X-de-mail-account-holder} is RFC 2047 encoded where not ASCII.</li>
 *   <li>{@code X-de-mail-signature-certificate} starts its base64 on the line after the field name.</li>
 *   <li>Mailbox content lives in memory (GreenMail); logs survive restarts, mailboxes and pending Abholbestätigungen
 *   do not.</li>
 * </ul>
 */
package de.amtsbote.sandbox.demail;
