/**
 * The beBPo channel, modelled on OSCI-Transport 1.2: addresses {@code bebpo:<mailbox id>} ({@code DE.<Org>.<…>},
 * 1–128 of {@code [A-Za-z0-9._-]}). Entry point {@link de.amtsbote.adapter.bebpo.BebpoAdapterProvider} (registered
 * for {@link java.util.ServiceLoader}, channel {@code bebpo}). The wire contract is {@code docs/channels/bebpo.md};
 * the WSDL and XSD are {@code osci-bebpo.wsdl} and {@code osci-bebpo.xsd} in this package's resources.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li><b>Options</b>: SIGN, ENCRYPT, DELIVERY_RECEIPT, RETRIEVAL_RECEIPT. beBPo always signs (client, origin and
 *       content signature) and always encrypts (the double envelope), so SIGN and ENCRYPT are honoured whether asked
 *       or not; a submission cannot switch them off. Receipts come from the process cards for every delivery.
 *       {@code refusal} refuses nothing beyond the options.
 *   <li><b>Out</b> ({@code dispatch}): the addressee's and the sender's own mailbox are looked up in the directory
 *       (cached); the addressee's encryption certificate and the intermediary certificate are validated for
 *       encryption by the crypto core (refused → permanent, naming the certificate). A message id is reserved with
 *       {@code getMessageId} and remembered for the delivery ({@code delivery:<delivery id>} in the channel memory),
 *       so that every attempt of a delivery uses the same id. The double envelope of contract section 4 is written:
 *       the ContentContainer (body text, reference, AttachmentInfo with the plain SHA-256) with the content signature
 *       by the participant's SIGNING key, encrypted for the addressee; each attachment encrypted for the addressee as
 *       a stream into a spool file (AES-256-GCM, the encrypted SHA-256 and size computed while writing); the
 *       StoreDelivery with the origin signature — today by the participant's SIGNING key, which the directory must
 *       list as the mailbox's signature and (for a beBPo) origin certificate; a separate VHN key can later be a key
 *       purpose of its own. The StoreDelivery is encrypted for the intermediary, the request signed
 *       (ClientSignature over exactly {@code #control} and {@code #body}) and posted as an MTOM/XOP package whose
 *       parts stream from the spool files. Before sending, {@code sent:<message id>} is remembered. The answer must
 *       carry an IntermediarySignature by the intermediary certificate the directory names (and valid for
 *       evidence signatures), InResponseTo = our nonce, and a ProcessCardBundle signed on its own by that certificate
 *       for our message id with a Creation time: then SENT (transport reference = the base64 message id, time =
 *       Creation, proof = the bundle, {@code application/xml}, INTERMEDIARY_SIGNED).
 *   <li><b>Faults</b>: {@code soap:Sender} → permanent with the intermediary's subcode and reason, except
 *       {@code MessageIdUsed} for a message id the gateway remembers (an earlier attempt arrived: its process card
 *       is fetched and returned as the result) and {@code MessageIdUnknown} for a reused id (its reservation expired
 *       unused: a fresh id is reserved, once). {@code soap:Receiver}, HTTP 5xx/408/429 (Retry-After kept), timeouts,
 *       broken connections, truncated or unparseable answers → transient; an answer or card that does not verify →
 *       transient, "not believed (possibly a man in the middle)": never SENT on an unverified card. Other HTTP
 *       statuses without a fault → permanent.
 *   <li><b>Process cards</b> ({@code poll}, at most every {@code process-card.interval}): each node keeps an index of
 *       its deliveries not yet retrieved ({@code pending:<node id>}, at most 1,500, dropped after
 *       {@code process-card.max-age}) and fetches their cards ({@code fetchProcessCard}, {@code
 *       process-card.batch-size} ids per request) from the intermediary each was stored at. Each bundle is verified
 *       like the first; Forwarding → receipt DELIVERED, Reception → RETRIEVED, the bundle as proof, each reported once
 *       (the state is kept in {@code sent:<message id>}).
 *   <li><b>In</b> ({@code poll}): each configured own mailbox is emptied with {@code fetchDelivery} until
 *       {@code NoDelivery} (at most 50 per poll). The answer's signature and its card are verified, else the mailbox
 *       is left alone for this poll (nothing acknowledged: not even the message id can be trusted). The usage data is
 *       decrypted with the participant's decryption keys (current and overlapping), the origin signature verified and
 *       its signer compared with the directory's certificate for the originator (for a beBPo its origin certificate:
 *       the SignatureCheck then says "origin verified: beBPo DE.… (name) by CN=…"), the content container decrypted
 *       and its content signature verified (signer = the directory's signature or origin certificate of the
 *       originator), each attachment decrypted from its MTOM part to a spool file while the encrypted size and
 *       SHA-256 (covered by the origin signature) and the plain size and SHA-256 (covered by the content signature)
 *       are checked. The message goes to the sink (transport id = message id), then the fetch card goes in as
 *       inbound proof DELIVERED (time = Creation, when it was stored in the gateway's mailbox), then the delivery is
 *       acknowledged and the acknowledgement's card goes in as inbound proof RETRIEVED (time = Reception). A crash
 *       before the acknowledgement means a redelivery, which the sink recognises.
 *   <li><b>Quarantine</b>: a delivery that fails any check (encrypted for another key, origin or content signature
 *       invalid or by another certificate, unknown originator, attachment size or digest mismatch, addressed to
 *       another mailbox, malformed) is quarantined with the check named and the whole answer as raw item, and then
 *       acknowledged — the intermediary hands out the oldest unacknowledged delivery first, so leaving it would block
 *       the mailbox forever; the quarantine keeps it, and the sender's card truthfully shows it reached the gateway.
 *       Directory trouble while checking is transient (nothing acknowledged).
 *   <li>{@code confirmRetrieval} does nothing: the acknowledgement (Reception) is sent by the adapter itself once the
 *       message is stored.
 * </ul>
 *
 * <h2>Settings ({@code amtsbote.channels.bebpo.*})</h2>
 * <table>
 *   <caption>beBPo channel settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code directory-url}</td><td>required</td><td>base URL of the SAFE-like directory
 *       ({@code <url>/mailboxes/{id}}), http or https</td></tr>
 *   <tr><td>{@code directory.cache-ttl}</td><td>{@code 1h}</td><td>how long a directory entry is used; a refused
 *       certificate drops the entry at once</td></tr>
 *   <tr><td>{@code connect-timeout}, {@code receive-timeout}</td><td>{@code 10s}, {@code 120s}</td><td>to connect
 *       to the directory or an intermediary; how long until the answer's headers arrive</td></tr>
 *   <tr><td>{@code trust-pem}</td><td>the JDK's trust store</td><td>PEM file of the anchors the TLS server
 *       certificates of https directory and intermediary URLs must chain to (TLS 1.3/1.2)</td></tr>
 *   <tr><td>{@code spool-dir}</td><td>{@code java.io.tmpdir}</td><td>encrypted attachments being sent, answers
 *       being read, decrypted attachments until the sink took them; put it on an encrypted volume</td></tr>
 *   <tr><td>{@code max-message-size}</td><td>{@code 200MB}</td><td>largest message (body and attachments, plain),
 *       out and in; 200 MiB is what EGVP/beBPo courts accept per message. Sizes as {@code 200MB}, {@code 512KB},
 *       {@code 1GB} (binary) or bytes</td></tr>
 *   <tr><td>{@code receipt-window}</td><td>{@code 90d}</td><td>how long sent deliveries are remembered (channel
 *       memory) for their process cards and retries</td></tr>
 *   <tr><td>{@code process-card.interval}</td><td>{@code 1m}</td><td>how often the cards of deliveries not yet
 *       retrieved are fetched (polls in between only fetch the mailboxes)</td></tr>
 *   <tr><td>{@code process-card.max-age}</td><td>{@code 30d}</td><td>after this a delivery not yet retrieved is no
 *       longer asked about</td></tr>
 *   <tr><td>{@code process-card.batch-size}</td><td>{@code 1}</td><td>message ids per fetchProcessCard (1–100).
 *       1 by default because the contract gives every bundle {@code osci:Id="card"}, and several bundles with one Id
 *       in one answer make the whole answer's signature unverifiable (duplicate Ids are refused against signature
 *       wrapping); raise it for an intermediary that numbers its bundles' Ids</td></tr>
 *   <tr><td>{@code mailbox.<name>.id}, {@code mailbox.<name>.participant}</td><td>none</td><td>an own mailbox the
 *       gateway empties, and the participant whose SIGNING key signs the requests and whose ENCRYPTION keys decrypt
 *       (the participant's channel address, if configured, must be {@code bebpo:<id>})</td></tr>
 * </table>
 *
 * <p>What else must be in place: each sending or receiving participant has a SIGNING and an ENCRYPTION key with
 * certificates in the key store; the directory lists each of the gateway's mailboxes with that SIGNING certificate
 * as {@code signatureCertificate} (and, for a beBPo, as {@code originCertificate}) and the ENCRYPTION certificate as
 * {@code encryptionCertificate}; the gateway's certificate validator trusts the CA of the intermediary and partner
 * certificates; the participant's address on the channel is {@code bebpo:<mailbox id>}.
 */
package de.amtsbote.adapter.bebpo;
