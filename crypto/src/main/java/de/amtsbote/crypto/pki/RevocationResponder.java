package de.amtsbote.crypto.pki;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.amtsbote.crypto.Providers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Serves the revocation status of one {@link CertificateAuthority} over HTTP on loopback, for tests, the sandbox and
 * the demo: its current CRL ({@code GET /crl}, DER, {@code application/pkix-crl}) and OCSP ({@code POST /ocsp},
 * RFC 6960, {@code application/ocsp-request} to {@code application/ocsp-response}). OCSP answers echo the request's
 * nonce and are signed by the CA's key, or by a delegated responder certificate ({@link #delegateTo}).
 *
 * <p>It binds to 127.0.0.1 on a free port and never to another interface. Every certificate of its CA whose serial
 * is not revoked is "good" — the CA keeps no register of what it issued; a request for another issuer is answered
 * "unknown". For tests it can also misbehave on purpose ({@link OcspBehaviour}, {@link CrlBehaviour}), be switched
 * off and on ({@link #stop()}, {@link #restart()}) and count the requests it got (cache tests).
 *
 * <p>Thread-safe. Test and demo material: the CA key is in memory.
 */
public final class RevocationResponder implements AutoCloseable {

    /** How {@code /ocsp} answers. */
    public enum OcspBehaviour {
        /** A correct, signed answer echoing the nonce. */
        ANSWER,
        /** HTTP 503, no OCSP response at all (a responder behind a failing load balancer). */
        HTTP_UNAVAILABLE,
        /** HTTP 200 with bytes that are no OCSP response. */
        GARBAGE,
        /** An unsigned OCSP "tryLater" (RFC 6960 4.2.1). */
        TRY_LATER,
        /** A signed answer whose nonce is not the request's (a replayed or foreign response). */
        WRONG_NONCE,
        /** A signed answer without a nonce and produced now, as a fresh pre-signed response would be. */
        NO_NONCE,
        /** A signed answer without a nonce whose thisUpdate is two days old (nextUpdate still ahead). */
        NO_NONCE_OLD,
        /** A signed answer whose nextUpdate has passed. */
        STALE,
        /** A signed answer saying "unknown" for every certificate (a responder whose database lacks them). */
        UNKNOWN,
        /** Signed by an unrelated key that names itself and includes its own certificate. */
        FOREIGN_SIGNER,
        /** Signed by an unrelated key while naming the CA as responder (a forgery). */
        IMPERSONATED_CA,
        /** Accepts the connection and does not answer until the responder is closed (a hanging responder). */
        HANG,
        /** Sends the headers and the first bytes of an answer, then stalls until the responder is closed. */
        STALL_BODY
    }

    /** How {@code /crl} answers. */
    public enum CrlBehaviour {
        /** The current CRL: thisUpdate now, nextUpdate after {@link #crlValidity}. */
        CURRENT,
        /** A CRL whose nextUpdate has passed (an issuing process that stopped). */
        STALE,
        /** HTTP 503. */
        HTTP_UNAVAILABLE,
        /** HTTP 200 with bytes that are no CRL. */
        GARBAGE
    }

    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final InetAddress LOOPBACK = loopback();

    static {
        // The JDK's HTTP server writes headers and body separately; without TCP_NODELAY every answer waits for the
        // client's delayed ACK (~40 ms on loopback). Read once, when the server classes load; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final CertificateAuthority ca;
    private final X509CertificateHolder caHolder;
    private final Clock clock;
    private final Map<BigInteger, CertificateAuthority.Revocation> revoked = new ConcurrentHashMap<>();
    private final AtomicInteger ocspRequests = new AtomicInteger();
    private final AtomicInteger crlRequests = new AtomicInteger();
    private final DigestCalculatorProvider digests;
    private final SecureRandom random = new SecureRandom();
    private final CountDownLatch closing = new CountDownLatch(1);

    private volatile OcspBehaviour ocspBehaviour = OcspBehaviour.ANSWER;
    private volatile CrlBehaviour crlBehaviour = CrlBehaviour.CURRENT;
    private volatile Duration ocspValidity = Duration.ofHours(1);
    private volatile Duration crlValidity = Duration.ofDays(1);
    private volatile IssuedCertificate delegate;
    private volatile CertificateAuthority stranger;

    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    private RevocationResponder(CertificateAuthority ca, Clock clock, int port) throws IOException {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.caHolder = new X509CertificateHolder(ca.certificate().getEncoded());
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build();
        } catch (CertificateEncodingException | OperatorCreationException e) {
            throw new IOException("cannot serve revocation status for " + subjectOf(ca.certificate()), e);
        }
        this.port = bind(port);
    }

    /**
     * Starts a responder for {@code ca} on a free loopback port. {@code clock} sets thisUpdate/nextUpdate of its
     * answers; tests pass the clock the validator uses so that moving it ages the answers.
     */
    public static RevocationResponder start(CertificateAuthority ca, Clock clock) throws IOException {
        return new RevocationResponder(ca, clock, 0);
    }

    /** Starts a responder on a given loopback port (0: a free one), for the demo's fixed configuration. */
    public static RevocationResponder start(CertificateAuthority ca, Clock clock, int port) throws IOException {
        return new RevocationResponder(ca, clock, port);
    }

    // ------------------------------------------------------------------ where

    /** {@code http://127.0.0.1:<port>/crl}: put it into certificates as CRL distribution point. */
    public URI crlUrl() {
        return URI.create("http://127.0.0.1:" + port + "/crl");
    }

    /** {@code http://127.0.0.1:<port>/ocsp}: put it into certificates' authority information access. */
    public URI ocspUrl() {
        return URI.create("http://127.0.0.1:" + port + "/ocsp");
    }

    public int port() {
        return port;
    }

    /** The CA whose status this responder serves. */
    public CertificateAuthority authority() {
        return ca;
    }

    // ------------------------------------------------------------------ what

    /** Revokes a certificate of this CA for key compromise at {@code time}. */
    public void revoke(X509Certificate certificate, Instant time) {
        revoke(certificate, time, CRLReason.keyCompromise);
    }

    /** Revokes a certificate of this CA at {@code time} with an RFC 5280 reason code ({@link CRLReason}). */
    public void revoke(X509Certificate certificate, Instant time, int reason) {
        if (!certificate.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            throw new IllegalArgumentException(subjectOf(certificate) + " is not issued by " + subjectOf(ca.certificate()));
        }
        revoked.put(certificate.getSerialNumber(), new CertificateAuthority.Revocation(certificate.getSerialNumber(),
                time, reason));
    }

    /** Signs OCSP answers with a delegated responder certificate (profile OCSP_RESPONDER) instead of the CA key. */
    public void delegateTo(IssuedCertificate responder) {
        this.delegate = Objects.requireNonNull(responder, "responder");
    }

    /** Signs OCSP answers with the CA's own key again. */
    public void signWithCaKey() {
        this.delegate = null;
    }

    public void ocspBehaviour(OcspBehaviour behaviour) {
        this.ocspBehaviour = Objects.requireNonNull(behaviour);
    }

    public void crlBehaviour(CrlBehaviour behaviour) {
        this.crlBehaviour = Objects.requireNonNull(behaviour);
    }

    /** How far nextUpdate of OCSP answers lies after thisUpdate; null: answers carry no nextUpdate. */
    public void ocspValidity(Duration validity) {
        this.ocspValidity = validity;
    }

    /** How far nextUpdate of the CRL lies after thisUpdate. */
    public void crlValidity(Duration validity) {
        this.crlValidity = Objects.requireNonNull(validity);
    }

    /** The CRL as {@code GET /crl} would serve it now. */
    public java.security.cert.X509CRL currentCrl() throws GeneralSecurityException {
        Instant now = clock.instant();
        if (crlBehaviour == CrlBehaviour.STALE) {
            return ca.crl(List.copyOf(revoked.values()), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        }
        return ca.crl(List.copyOf(revoked.values()), now, now.plus(crlValidity));
    }

    public int ocspRequests() {
        return ocspRequests.get();
    }

    public int crlRequests() {
        return crlRequests.get();
    }

    // ------------------------------------------------------------------ on and off

    /** Stops listening: connections to the port are refused (a responder that is down). */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Listens again on the same port after {@link #stop()}. */
    public synchronized void restart() throws IOException {
        if (server == null) {
            bind(port);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        stop();
    }

    @Override
    public String toString() {
        return "RevocationResponder[" + subjectOf(ca.certificate()) + " on 127.0.0.1:" + port + "]";
    }

    // ------------------------------------------------------------------ HTTP

    private synchronized int bind(int wanted) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(LOOPBACK, wanted), 16);
        s.createContext("/crl", this::serveCrl);
        s.createContext("/ocsp", this::serveOcsp);
        // A pool, so that a hanging answer does not block the next request.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "revocation-responder-" + wanted);
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.start();
        server = s;
        return s.getAddress().getPort();
    }

    private void serveCrl(HttpExchange exchange) throws IOException {
        try {
            crlRequests.incrementAndGet();
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "GET only".getBytes());
                return;
            }
            switch (crlBehaviour) {
                case HTTP_UNAVAILABLE:
                    send(exchange, 503, "text/plain", "CRL service unavailable".getBytes());
                    return;
                case GARBAGE:
                    send(exchange, 200, "application/pkix-crl", garbage());
                    return;
                default:
                    send(exchange, 200, "application/pkix-crl", currentCrl().getEncoded());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("could not sign the CRL of " + subjectOf(ca.certificate()), e);
        } finally {
            exchange.close();
        }
    }

    private void serveOcsp(HttpExchange exchange) throws IOException {
        try {
            ocspRequests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "POST only".getBytes());
                return;
            }
            byte[] body = readLimited(exchange.getRequestBody());
            OcspBehaviour behaviour = ocspBehaviour;
            switch (behaviour) {
                case HTTP_UNAVAILABLE:
                    send(exchange, 503, "text/plain", "OCSP service unavailable".getBytes());
                    return;
                case GARBAGE:
                    send(exchange, 200, "application/ocsp-response", garbage());
                    return;
                case HANG:
                    awaitClose();
                    return;
                case STALL_BODY:
                    exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                    exchange.sendResponseHeaders(200, 1000);
                    exchange.getResponseBody().write(new byte[] {0x30, (byte) 0x82, 0x03, (byte) 0xe4});
                    exchange.getResponseBody().flush();
                    awaitClose();
                    return;
                case TRY_LATER:
                    send(exchange, 200, "application/ocsp-response",
                            new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded());
                    return;
                default:
                    break;
            }
            OCSPReq request;
            try {
                request = body == null ? null : new OCSPReq(body);
            } catch (IOException | RuntimeException e) {
                request = null;
            }
            if (request == null) {
                send(exchange, 200, "application/ocsp-response",
                        new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null).getEncoded());
                return;
            }
            send(exchange, 200, "application/ocsp-response", answer(request, behaviour).getEncoded());
        } catch (OCSPException | GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("could not answer an OCSP request for " + subjectOf(ca.certificate()), e);
        } finally {
            exchange.close();
        }
    }

    private OCSPResp answer(OCSPReq request, OcspBehaviour behaviour)
            throws OCSPException, GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = clock.instant();
        Instant thisUpdate = behaviour == OcspBehaviour.NO_NONCE_OLD ? now.minus(Duration.ofDays(2))
                : behaviour == OcspBehaviour.STALE ? now.minus(Duration.ofDays(2)) : now;
        Instant nextUpdate = behaviour == OcspBehaviour.NO_NONCE_OLD ? now.plus(Duration.ofDays(5))
                : behaviour == OcspBehaviour.STALE ? now.minus(Duration.ofDays(1))
                : ocspValidity == null ? null : now.plus(ocspValidity);

        ContentSigner signer;
        X500Name responderName;
        X509CertificateHolder[] included;
        IssuedCertificate delegated = delegate;
        if (behaviour == OcspBehaviour.FOREIGN_SIGNER || behaviour == OcspBehaviour.IMPERSONATED_CA) {
            CertificateAuthority rogue = stranger();
            signer = rogue.contentSigner();
            X509CertificateHolder rogueCert = new X509CertificateHolder(rogue.certificate().getEncoded());
            responderName = behaviour == OcspBehaviour.FOREIGN_SIGNER ? rogueCert.getSubject() : caHolder.getSubject();
            included = behaviour == OcspBehaviour.FOREIGN_SIGNER ? new X509CertificateHolder[] {rogueCert}
                    : new X509CertificateHolder[0];
        } else if (delegated != null) {
            signer = CertificateAuthority.signer(delegated.privateKey(), delegated.certificate().getPublicKey(), false);
            X509CertificateHolder responderCert = new X509CertificateHolder(delegated.certificate().getEncoded());
            responderName = responderCert.getSubject();
            included = new X509CertificateHolder[] {responderCert};
        } else {
            signer = ca.contentSigner();
            responderName = caHolder.getSubject();
            included = new X509CertificateHolder[0];
        }

        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(responderName));
        for (Req single : request.getRequestList()) {
            CertificateID id = single.getCertID();
            CertificateStatus status = behaviour == OcspBehaviour.UNKNOWN ? new UnknownStatus() : statusOf(id);
            builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate),
                    null);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (behaviour == OcspBehaviour.WRONG_NONCE) {
            byte[] other = new byte[32];
            random.nextBytes(other);
            builder.setResponseExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(other).getEncoded()))));
        } else if (nonce != null && behaviour != OcspBehaviour.NO_NONCE && behaviour != OcspBehaviour.NO_NONCE_OLD) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        BasicOCSPResp basic = builder.build(signer, included, Date.from(thisUpdate));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
    }

    private CertificateStatus statusOf(CertificateID id) throws OCSPException {
        if (!id.matchesIssuer(caHolder, digests)) {
            return new UnknownStatus();
        }
        CertificateAuthority.Revocation r = revoked.get(id.getSerialNumber());
        return r == null ? CertificateStatus.GOOD : new RevokedStatus(Date.from(r.time()), r.reason());
    }

    private CertificateAuthority stranger() throws GeneralSecurityException {
        CertificateAuthority s = stranger;
        if (s == null) {
            synchronized (this) {
                if (stranger == null) {
                    stranger = CertificateAuthority.root("Rogue OCSP responder", KeySpec.ec("P-256"), clock);
                }
                s = stranger;
            }
        }
        return s;
    }

    private void awaitClose() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] garbage() {
        byte[] b = new byte[200];
        random.nextBytes(b);
        b[0] = 0x02; // an ASN.1 INTEGER where a SEQUENCE must start
        return b;
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_REQUEST_BYTES) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String subjectOf(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("no IPv4 loopback address", e);
        }
    }
}
