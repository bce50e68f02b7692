package de.amtsbote.crypto.smime;

import de.amtsbote.crypto.cms.CmsContentException;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.DecryptedContent;
import de.amtsbote.crypto.cms.DetachedSignatureVerifier;
import de.amtsbote.crypto.cms.ReceiptVerification;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.cms.SignedContent;
import de.amtsbote.crypto.policy.Algorithm;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Opens S/MIME entities (RFC 8551): application/pkcs7-mime (signed-data, enveloped-data, authEnveloped-data) and
 * multipart/signed, nested in any order up to a limit, layer by layer from the outside in, streaming. Each layer's
 * content is the next layer's input as it is decrypted or parsed; only the innermost entity (headers and body, exactly
 * as they were protected) reaches the caller's stream. The result lists every layer: signed by whom and which check
 * failed, encrypted for which of our keys.
 *
 * <p><b>The innermost entity is untrusted until the result is valid</b>: write it to a temporary store and discard it
 * otherwise. Failures of the message are result states; an {@link IOException} means a stream of the caller's failed.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SmimeOpener {

    /** Layers opened before the reader refuses (TR-03116-4 asks for arbitrary nesting; a bound stops abuse). */
    public static final int DEFAULT_MAX_LAYERS = 5;

    /** A detached signature part is read up to this size. */
    private static final int MAX_SIGNATURE_PART = DetachedSignatureVerifier.MAX_SIGNATURE_BYTES * 4 / 3 + 64 * 1024;

    private final CmsOpener cms;
    private final int maxLayers;

    public SmimeOpener(CmsOpener cms) {
        this(cms, DEFAULT_MAX_LAYERS);
    }

    public SmimeOpener(CmsOpener cms, int maxLayers) {
        this.cms = Objects.requireNonNull(cms, "cms");
        if (maxLayers < 1) {
            throw new IllegalArgumentException("at least one layer must be allowed");
        }
        this.maxLayers = maxLayers;
    }

    /**
     * Opens an S/MIME entity (headers and body) and writes the innermost entity to {@code innerEntity} as it is read.
     * {@code innerEntity} is not closed.
     */
    public SmimeResult open(InputStream entity, OutputStream innerEntity) throws IOException {
        Run run = new Run(new Sink(Objects.requireNonNull(innerEntity, "innerEntity")));
        try {
            openEntity(Objects.requireNonNull(entity, "entity"), 0, run);
        } catch (MalformedBodyException e) {
            run.fail(SmimeFailure.MALFORMED, e.getMessage());
        } catch (IOException e) {
            run.sink.rethrowIfFailed();
            throw e;
        }
        return run.result();
    }

    /**
     * Verifies a signed receipt entity (smime-type=signed-receipt, RFC 2634) against the signature we sent, looked up
     * by its signedContentIdentifier.
     */
    public ReceiptVerification verifyReceipt(InputStream entity, Function<byte[], Optional<SentSignature>> sent)
            throws IOException {
        MimeHeaders h;
        MimeHeaders.ContentType ct;
        try {
            h = MimeHeaders.read(entity);
            ct = h.contentType();
            if (!ct.is("application/pkcs7-mime", "application/x-pkcs7-mime")) {
                throw new MimeException("a signed receipt is application/pkcs7-mime, not " + ct.mimeType());
            }
            return cms.verifyReceipt(decode(entity, h.transferEncoding()), sent);
        } catch (MimeException e) {
            return new ReceiptVerification(new de.amtsbote.crypto.cms.VerificationResult(null, List.of(),
                    de.amtsbote.crypto.cms.SignatureCheck.NOT_SIGNED, e.getMessage()), null,
                    de.amtsbote.crypto.cms.ReceiptCheck.NOT_A_RECEIPT, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the layers

    private void openEntity(InputStream in, int depth, Run run) throws IOException {
        MimeHeaders headers;
        MimeHeaders.ContentType type;
        try {
            headers = MimeHeaders.read(in);
            type = headers.contentType();
        } catch (MimeException e) {
            run.fail(SmimeFailure.MALFORMED, where(depth) + e.getMessage());
            return;
        }
        boolean pkcs7 = type.is("application/pkcs7-mime", "application/x-pkcs7-mime");
        boolean clearSigned = type.is("multipart/signed");
        if ((pkcs7 || clearSigned) && depth >= maxLayers) {
            run.fail(SmimeFailure.NESTING_TOO_DEEP, "more than " + maxLayers + " S/MIME layers; layer " + (depth + 1)
                    + " (" + type.mimeType() + ") is not opened");
            return;
        }
        if (pkcs7) {
            openPkcs7(in, headers, type, depth, run);
        } else if (clearSigned) {
            openClearSigned(in, type, depth, run);
        } else {
            // the innermost entity: passed on exactly as it was protected
            run.contentType = type.mimeType();
            run.sink.write(headers.raw());
            in.transferTo(run.sink);
        }
    }

    private void openPkcs7(InputStream in, MimeHeaders headers, MimeHeaders.ContentType type, int depth, Run run)
            throws IOException {
        BufferedInputStream body;
        try {
            body = new BufferedInputStream(decode(in, headers.transferEncoding()), 64 * 1024);
        } catch (MimeException e) {
            run.fail(SmimeFailure.MALFORMED, where(depth) + e.getMessage());
            return;
        }
        String cmsType = CmsOpener.peekContentType(body);
        if ("1.2.840.113549.1.7.2".equals(cmsType)) {
            Layer layer = run.add(depth, SmimeLayer.Kind.SIGNED);
            SignedContent signed = cms.openSigned(body);
            if (signed.hasContent()) {
                if ("1.2.840.113549.1.9.16.1.1".equals(signed.contentType())) {
                    run.contentType = "ESS receipt (id-ct-receipt)";
                    signed.content().transferTo(run.sink);
                } else {
                    inner(signed.content(), depth, run, layer);
                }
            }
            try {
                layer.verification = signed.result();
            } catch (CmsContentException enclosingFailed) {
                layer.problem = "not finished: an enclosing layer failed while this one was read";
                throw enclosingFailed;
            }
        } else if ("1.2.840.113549.1.7.3".equals(cmsType) || "1.2.840.113549.1.9.16.1.23".equals(cmsType)) {
            Layer layer = run.add(depth, SmimeLayer.Kind.ENCRYPTED);
            DecryptedContent decrypted = cms.openEncrypted(body);
            if (decrypted.hasContent()) {
                inner(decrypted.content(), depth, run, layer);
            }
            try {
                layer.decryption = decrypted.result();
            } catch (CmsContentException enclosingFailed) {
                layer.problem = "not finished: an enclosing layer failed while this one was read";
                throw enclosingFailed;
            }
        } else {
            String smimeType = type.parameter("smime-type").orElse("none");
            run.fail(SmimeFailure.UNSUPPORTED, where(depth) + "smime-type " + smimeType + " ("
                    + (cmsType == null ? "not CMS" : "CMS type " + cmsType) + ") is not opened by this reader");
            return;
        }
        body.transferTo(OutputStream.nullOutputStream());
    }

    /**
     * Reads the inner entity of a layer. A content failure ends the inner reading but not the run: the layer's result,
     * asked right after, names it (or, if an enclosing layer failed, rethrows that layer's failure upwards).
     */
    private void inner(InputStream content, int depth, Run run, Layer layer) throws IOException {
        try {
            openEntity(content, depth + 1, run);
            content.transferTo(OutputStream.nullOutputStream());
        } catch (CmsContentException e) {
            layer.contentFailure = e;
        } catch (MalformedBodyException e) {
            run.fail(SmimeFailure.MALFORMED, where(depth + 1) + e.getMessage());
        }
    }

    private void openClearSigned(InputStream in, MimeHeaders.ContentType type, int depth, Run run)
            throws IOException {
        Optional<String> boundary = type.parameter("boundary");
        String protocol = type.parameter("protocol").orElse("").toLowerCase(Locale.ROOT);
        if (boundary.isEmpty() || boundary.get().isEmpty()) {
            run.fail(SmimeFailure.MALFORMED, where(depth) + "multipart/signed without a boundary");
            return;
        }
        if (!protocol.equals("application/pkcs7-signature") && !protocol.equals("application/x-pkcs7-signature")) {
            run.fail(SmimeFailure.UNSUPPORTED, where(depth) + "multipart/signed with protocol \"" + protocol
                    + "\" is not S/MIME");
            return;
        }
        Layer layer = run.add(depth, SmimeLayer.Kind.CLEAR_SIGNED);
        DetachedSignatureVerifier verifier = cms.detached(digests(type.parameter("micalg").orElse("")));
        MultipartSignedReader reader = new MultipartSignedReader(in, boundary.get());
        try {
            reader.skipPreamble();
            InputStream part = new Tee(reader.nextPart(), verifier.content());
            openEntity(part, depth + 1, run);
            part.transferTo(OutputStream.nullOutputStream());
            if (reader.closeDelimiterSeen()) {
                throw new MimeException("the multipart/signed body has no signature part");
            }
            InputStream signaturePart = reader.nextPart();
            MimeHeaders sh = MimeHeaders.read(signaturePart);
            MimeHeaders.ContentType st = sh.contentType();
            if (!st.is("application/pkcs7-signature", "application/x-pkcs7-signature")) {
                throw new MimeException("the second part of the multipart/signed is " + st.mimeType()
                        + ", not application/pkcs7-signature");
            }
            InputStream signature = new Limited(decode(signaturePart, sh.transferEncoding()), MAX_SIGNATURE_PART);
            layer.verification = verifier.verify(signature);
            signaturePart.transferTo(OutputStream.nullOutputStream());
            if (!reader.closeDelimiterSeen()) {
                throw new MimeException("the multipart/signed body has more than two parts");
            }
            reader.drainEpilogue();
        } catch (MimeException e) {
            layer.problem = e.getMessage();
            run.fail(SmimeFailure.MALFORMED, where(depth) + e.getMessage());
        } catch (IOException e) {
            if (e.getCause() instanceof MimeException m) {
                layer.problem = m.getMessage();
                run.fail(SmimeFailure.MALFORMED, where(depth) + m.getMessage());
                return;
            }
            throw e;
        }
    }

    /** The digests to compute for a multipart/signed: those its micalg announces, and SHA-256 always. */
    private static Set<Algorithm> digests(String micalg) {
        Set<Algorithm> set = EnumSet.of(Algorithm.SHA256);
        for (String m : micalg.split(",")) {
            switch (m.strip().toLowerCase(Locale.ROOT)) {
                case "sha-384" -> set.add(Algorithm.SHA384);
                case "sha-512" -> set.add(Algorithm.SHA512);
                default -> {
                    // sha-256 is always there; sha-1, md5 and unknown names are not computed (and would be refused)
                }
            }
        }
        return set;
    }

    private static InputStream decode(InputStream in, String transferEncoding) throws MimeException {
        return switch (transferEncoding) {
            case "base64" -> base64(in);
            case "binary", "8bit", "7bit" -> in;
            default -> throw new MimeException("Content-Transfer-Encoding " + transferEncoding
                    + " is not used for CMS bodies (base64 or binary)");
        };
    }

    /**
     * A base64 decoder whose own decoding failures become {@link MalformedBodyException}, while a failure of the
     * stream below passes through unchanged: the first is the message's fault, the second the caller's.
     */
    private static InputStream base64(InputStream source) {
        IOException[] sourceFailure = new IOException[1];
        InputStream tracked = new java.io.FilterInputStream(source) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    sourceFailure[0] = e;
                    throw e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    sourceFailure[0] = e;
                    throw e;
                }
            }
        };
        InputStream decoder = Base64.getMimeDecoder().wrap(tracked);
        return new java.io.FilterInputStream(decoder) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw classify(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw classify(e);
                }
            }

            private IOException classify(IOException e) {
                return e == sourceFailure[0] ? e : new MalformedBodyException("the base64 body cannot be decoded: "
                        + e.getMessage(), e);
            }
        };
    }

    private static String where(int depth) {
        return "layer " + (depth + 1) + ": ";
    }

    // ------------------------------------------------------------------ state and plumbing

    /** A layer as it is being read. */
    private static final class Layer {
        final int depth;
        final SmimeLayer.Kind kind;
        de.amtsbote.crypto.cms.VerificationResult verification;
        de.amtsbote.crypto.cms.DecryptionResult decryption;
        String problem;
        /** A content failure seen while the inner entity was read; the layer's result names its cause. */
        CmsContentException contentFailure;

        Layer(int depth, SmimeLayer.Kind kind) {
            this.depth = depth;
            this.kind = kind;
        }

        SmimeLayer done() {
            String p = problem;
            if (p == null && verification == null && decryption == null) {
                p = "not finished";
            }
            boolean resultValid = verification != null ? verification.valid() : decryption != null && decryption.valid();
            if (p == null && contentFailure != null && resultValid) {
                // fail closed: a content failure never leaves a layer valid, whatever its result said
                p = contentFailure.getMessage();
            }
            return new SmimeLayer(depth, kind, verification, decryption, p);
        }
    }

    private static final class Run {
        final Sink sink;
        final List<Layer> layers = new ArrayList<>();
        SmimeFailure failure;
        String detail;
        String contentType;

        Run(Sink sink) {
            this.sink = sink;
        }

        Layer add(int depth, SmimeLayer.Kind kind) {
            Layer l = new Layer(depth + 1, kind);
            layers.add(l);
            return l;
        }

        void fail(SmimeFailure f, String d) {
            if (failure == null) {
                failure = f;
                detail = d;
            }
        }

        SmimeResult result() {
            return new SmimeResult(layers.stream().map(Layer::done).toList(), failure, detail, contentType);
        }
    }

    /** Copies what is read into the detached signature's digests. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes are signed bytes too: read them through the digests
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }

    /** Stops reading a part that is larger than any signature. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** The caller's stream, remembering its own failures so they are passed on as they are. */
    private static final class Sink extends FilterOutputStream {
        private IOException failure;

        Sink(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        void rethrowIfFailed() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
