/**
 * The sandbox OSCI network for the beBPo channel: store-and-forward intermediaries (Intermediäre), the SAFE-like
 * directory, and mailboxes the sandbox plays. Written from the wire contract ({@code docs/channels/bebpo.md}) and
 * PROTOCOLS.md section 2 — never from the gateway's adapter — so that the adapter is tested against an independent
 * implementation of the other side.
 *
 * <h2>What runs</h2>
 * One embedded Tomcat on 127.0.0.1 serves, on one port:
 * <ul>
 *   <li>{@code POST /osci/<intermediary>}: the SOAP 1.2 endpoint of each intermediary, all operations of contract
 *       sections 3–6 ({@code getMessageId}, {@code storeDelivery}, {@code fetchDelivery},
 *       {@code acknowledgeDelivery}, {@code fetchProcessCard}), plain {@code application/soap+xml} or MTOM/XOP
 *       ({@code multipart/related; type="application/xop+xml"}); faults as SOAP 1.2 faults with the contract's
 *       subcodes, HTTP 400 (Sender) or 500 (Receiver);</li>
 *   <li>{@code GET /safe/mailboxes/{id}} (404 for an unknown id) and {@code GET /safe/mailboxes?name=<part>}: the
 *       directory, JSON exactly as contract section 1;</li>
 *   <li>{@code POST /osci/mailboxes/{id}/fetch}: a played mailbox fetches now; answers
 *       {@code {"received": [message ids]}}.</li>
 * </ul>
 * What the intermediary checks, in order: size limit (TooLarge, while the request is spooled to a file), SOAP 1.2
 * envelope and operation (Malformed), the ClientSignature — exactly two references resolving to the envelope's own
 * {@code soap:Header/osci:ControlBlock} and {@code soap:Body} through {@code osci:Id} only, by the caller's signature
 * or origin certificate per the directory (SignatureInvalid) — that certificate's validity (CertificateInvalid),
 * {@code Created} within ±5 minutes and the nonce unseen for 10 minutes (RequestReplayed). Then per operation:
 * storeDelivery decrypts the usage data with the intermediary's key (NotForThisIntermediary), checks the originator
 * is the caller and the origin signature by its origin (beBPo) or signature certificate (OriginInvalid), the
 * addressee (UnknownAddressee), the message id (MessageIdUnknown, MessageIdUsed), and hashes each attachment part
 * while streaming it to a file (OriginInvalid on a Size/Digest mismatch). Deliveries are stored still end-to-end
 * encrypted ({@code <data-dir>/<intermediary>/deliveries/d-<n>/usage.xml} and {@code part-<n>.bin}) and deleted on
 * acknowledgement. Certificates are validated with crypto's validator against the trust anchors (OCSP/CRL where a
 * certificate names them; OnlineResult {@code unknown}, Type {@code none}, where it names none or nothing answers).
 *
 * <h2>Java API</h2>
 * <pre>{@code
 * OsciConfig config = OsciConfig.builder(dataDir)                 // PKI generated into dataDir/pki unless pkiDir(..)
 *         .trustAnchors(gatewayCaPem)                             // CA of the gateway participants' certificates
 *         .intermediary(IntermediaryConfig.of("justiz", certPem, keyPem))   // or .generated("justiz")
 *         .mailbox(OsciMailboxConfig.played("DE.Justiz.4711", "justiz").name("Amtsgericht").build())
 *         .mailbox(OsciMailboxConfig.external("DE.Gateway.0815", "justiz")
 *                 .encryption(encPem, null).signature(sigPem, null).build())  // .origin(vhnPem, null) for a beBPo
 *         .pollInterval(Duration.ZERO)                           // played mailboxes fetch only when asked
 *         .build();
 * try (OsciIntermediaries osci = OsciIntermediaries.start(config)) {
 *     osci.intermediary("justiz").url();          // http://127.0.0.1:<port>/osci/justiz
 *     osci.directoryUri();                        // http://127.0.0.1:<port>/safe
 *     osci.register(...);                         // add a mailbox while running
 *     SentDelivery s = osci.mailbox("DE.Justiz.4711").send(OutgoingDelivery.to("DE.Gateway.0815")
 *             .subject("Ladung").body("…").reference("AZ 1/26").attach(pdf).build());
 *     List<ReceivedDelivery> got = osci.mailbox("DE.Justiz.4711").fetchNow();
 *     osci.mailbox("DE.Justiz.4711").log();       // sent, received, acknowledged, send-refused, fetch-failed
 *     osci.intermediary("justiz").log();          // stored, fetched, acknowledged, refused
 *     osci.faults("justiz").unavailable(2);       // Receiver/Unavailable for the next 2 requests
 *     osci.faults("justiz").stopListener();  osci.faults("justiz").startListener();   // same port
 * }
 * }</pre>
 *
 * <h2>JSON configuration</h2>
 * ({@code Sandbox --osci=osci.json}; relative paths against the file's directory; unknown keys are refused)
 * <pre>{@code
 * {
 *   "data-dir": "data/osci",                      // default data/osci
 *   "pki-dir": "pki/osci",                        // certificates not given are generated and reused here
 *   "http-port": 8383,                            // 0 (default): a free port
 *   "trust-anchors": ["gateway-ca.pem"],          // added to the PKI's root
 *   "poll-interval": "1s",                        // played mailboxes fetch this often; "0s": only when triggered
 *   "intermediaries": [
 *     {"name": "justiz", "certificate": "justiz.pem", "key": "justiz.key.pem", "max-bytes": 1073741824}
 *   ],
 *   "mailboxes": [
 *     {"id": "DE.Justiz.4711", "name": "Amtsgericht Musterstadt", "intermediary": "justiz",
 *      "played": true, "bebpo": false, "acknowledge": "at-once"},      // at-once | after:15s | never
 *     {"id": "DE.Gateway.0815", "intermediary": "justiz", "played": false,
 *      "encryption-certificate": "p.enc.pem", "signature-certificate": "p.sig.pem",
 *      "origin-certificate": "p.vhn.pem", "bebpo": true}
 *   ]
 * }
 * }</pre>
 * A played mailbox may also name {@code encryption-certificate/-key}, {@code signature-certificate/-key},
 * {@code origin-certificate/-key} instead of having them generated.
 *
 * <h2>Logs</h2>
 * JSON lines. Intermediary ({@code <data-dir>/<name>/osci-log.jsonl}): {@code stored} (messageId, originator,
 * addressee, subject, attachments), {@code fetched}, {@code acknowledged}, {@code refused} (operation, caller,
 * subcode, reason). Played mailbox ({@code <data-dir>/peers/<id>/peer-log.jsonl}): {@code sent}, {@code
 * send-refused}, {@code received} (messageId, originator, subject, signer, origin, content, valid,
 * attachments[name, size, sha256, intact], problems), {@code acknowledged}, {@code fetch-failed},
 * {@code acknowledge-failed}.
 *
 * <h2>Where it deviates from or adds to the contract</h2>
 * <ul>
 *   <li>A response carrying several process cards ({@code fetchProcessCard} with several visible ids) names them
 *       {@code card-1}, {@code card-2}, … ({@code osci:Id} must be unique in one document); one card is
 *       {@code card}.</li>
 *   <li>{@code fetchDelivery} with the id of an acknowledged (removed) delivery: MessageIdUnknown. Acknowledging
 *       twice answers the same card again.</li>
 *   <li>Unknown callers (not in the directory): SignatureInvalid. An originator other than the caller:
 *       OriginInvalid. MIME parts no attachment refers to: Malformed.</li>
 *   <li>Unexpected failures inside the intermediary are answered Receiver/Unavailable (the only Receiver subcode).</li>
 *   <li>The addressee's encryption certificate is inspected (CertType Encryption) but does not refuse a store.</li>
 *   <li>Signatures are made over the re-parsed document (what is sent), and inner elements are taken out of a
 *       document through a serialisation round trip, not {@code importNode}: an inner element copied by
 *       {@code importNode} loses the namespace declarations in scope on its ancestors, and its exclusive c14n no
 *       longer matches its signature. (The gateway side has to do the same with a process card it keeps.)</li>
 *   <li>State (reservations, nonces, process cards) is in memory: a restart forgets it.</li>
 * </ul>
 */
package de.amtsbote.sandbox.osci;
