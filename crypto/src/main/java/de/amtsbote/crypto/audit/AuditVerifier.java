package de.amtsbote.crypto.audit;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Verifies an audit trail without the gateway: recomputes every entry's hash from its fields (docs/audit.md,
 * "Canonical encoding" — implemented here a second time on purpose, from the documentation, not shared with the
 * gateway's writer), checks that each entry links to the one before, that the sequence has no gaps, that every
 * checkpoint is signed by an evidence certificate of the trusted CA and matches the chain, and that the chain ends at
 * the gateway's head.
 *
 * <p>The trail is fed in the order of an export ({@code GET /api/v1/audit/export}): {@link Verification#entry} for
 * every entry, oldest first, then {@link Verification#checkpoint} for every checkpoint, then
 * {@link Verification#head}; {@link Verification#finish} gives the report. Only checkpoints and a few hashes are kept,
 * never the entries, so a trail of any length is checked in constant memory.
 *
 * <p>Each problem names the place and the kind of tampering: a changed entry, a deleted entry (a gap, or renumbered
 * successors), an inserted entry, a changed or missing checkpoint, a rewritten chain, a truncated tail.
 */
public final class AuditVerifier {

    private static final String GENESIS = "0".repeat(64);
    private static final String NAMESPACE = "urn:amtsbote:audit:1";
    private static final int MAX_PROBLEMS = 100;

    /** What went wrong, where. {@code seq} is the entry (or checkpoint) concerned. */
    public enum Kind { CHANGED, DELETED, INSERTED, TRUNCATED, REWRITTEN, CHECKPOINT_CHANGED, CHECKPOINT_MISSING,
        CHECKPOINT_UNSIGNED, MALFORMED }

    public record Problem(long seq, Kind kind, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    /**
     * The outcome: intact when there are no problems. Warnings do not fail it (entries not yet checkpointed).
     *
     * @param entries           the number of entries read
     * @param lastSeq           the seq of the last entry read (0 for an empty trail)
     * @param checkpoints       the number of checkpoints read
     * @param signedCheckpoints how many of them are validly signed
     * @param lastSigned        the last validly signed checkpoint, if any
     * @param uncovered         entries after the last signed checkpoint (protected by the chain only)
     */
    public record Report(long entries, long lastSeq, long checkpoints, long signedCheckpoints,
                         Optional<Checkpoint> lastSigned, long uncovered, List<Problem> problems,
                         List<String> warnings) {
        public boolean intact() {
            return problems.isEmpty();
        }

        public Optional<Problem> first() {
            return problems.stream().findFirst();
        }
    }

    /**
     * One entry as exported: {@code time} in the spelling the hash covers (UTC, six fraction digits), {@code detail}
     * as stored. A missing field (null) is hashed as the empty string.
     */
    public record Entry(long seq, String time, String node, String actorKind, String actorId, String action,
                        String subjects, String detail, String previous, String hash) {
        public Entry {
            time = orEmpty(time);
            node = orEmpty(node);
            actorKind = orEmpty(actorKind);
            actorId = orEmpty(actorId);
            action = orEmpty(action);
            subjects = orEmpty(subjects);
            detail = orEmpty(detail);
            previous = orEmpty(previous);
            hash = orEmpty(hash);
        }
    }

    /**
     * One checkpoint as exported.
     *
     * @param document the signed XML document, base64 as in the export; null for an unsigned checkpoint
     */
    public record Checkpoint(long seq, String hash, String time, String node, String document) {
        public Checkpoint {
            hash = orEmpty(hash);
            time = orEmpty(time);
            node = orEmpty(node);
        }
    }

    private final SignatureVerifierAt signatures;
    private final boolean allowUnsigned;

    private AuditVerifier(SignatureVerifierAt signatures, boolean allowUnsigned) {
        this.signatures = signatures;
        this.allowUnsigned = allowUnsigned;
    }

    /**
     * Checkpoints must be signed by an evidence certificate issued under one of the CA certificates in
     * {@code caPem}. Revocation is not checked: the verification is offline, years later.
     */
    public static AuditVerifier trusting(Path caPem, boolean allowUnsigned) throws IOException, CertificateException {
        return trusting(List.of(caPem), allowUnsigned);
    }

    /** As {@link #trusting(Path, boolean)}, with the CA certificates of several PEM files. */
    public static AuditVerifier trusting(Collection<Path> caPems, boolean allowUnsigned)
            throws IOException, CertificateException {
        if (caPems.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate to trust");
        }
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        PkixCertificateValidator.Builder b = PkixCertificateValidator.builder().revocation(RevocationSources.NONE)
                .policy(policy);
        for (Path pem : caPems) {
            b.trustAnchorsFrom(pem);
        }
        PkixCertificateValidator validator = b.build();
        return new AuditVerifier(at -> XmlSignatureVerifier.withValidator(policy, validator,
                CertificateUsage.EVIDENCE_SIGNATURE).clock(Clock.fixed(at, ZoneOffset.UTC)), allowUnsigned);
    }

    /** Without a CA: only for trails of a gateway without a key store; signed checkpoints are then refused. */
    public static AuditVerifier withoutTrust() {
        return new AuditVerifier(null, true);
    }

    /** Starts one pass over a trail. */
    public Verification start() {
        return new Verification();
    }

    private record Link(long seq, String hash) {
    }

    /** One pass over a trail, fed in export order; not thread-safe. */
    public final class Verification {

        private final Problems problems = new Problems();
        private final List<Checkpoint> checkpoints = new ArrayList<>();
        private final Map<Long, Long> recordedCheckpoints = new LinkedHashMap<>(); // checkpoint seq -> entry recording it
        private final Map<Long, String> chainHashAt = new TreeMap<>();              // checkpoint seq -> chain's hash there
        private Link head;
        private Link prev = new Link(0, GENESIS);
        private String prevPrevHash;
        private long shift;
        private long entries;
        private boolean finished;

        private Verification() {
        }

        /** Something of the trail could not be read (a line that is no JSON); named as found after the last entry. */
        public void malformed(String what) {
            problems.add(new Problem(prev.seq(), Kind.MALFORMED, what));
        }

        /** The head as the gateway stated it when the entries were read. */
        public void head(long seq, String hash) {
            head = new Link(seq, orEmpty(hash));
        }

        public void checkpoint(Checkpoint c) {
            checkpoints.add(c);
        }

        public void entry(Entry n) {
            entries++;
            long seq = n.seq();
            long expected = prev.seq() + 1;
            boolean gap = false;
            if (seq < expected) {
                problems.add(new Problem(seq, Kind.INSERTED, "inserted entry at seq " + seq + ": the sequence"
                        + " repeats or goes back after seq " + prev.seq()));
            } else if (seq > expected) {
                gap = true;
                problems.add(new Problem(expected, Kind.DELETED, "deleted entr" + (seq - expected == 1
                        ? "y seq " + expected : "ies seq " + expected + " to " + (seq - 1))
                        + ": gap between seq " + prev.seq() + " and seq " + seq));
            }
            if (!hashOf(n, seq).equals(n.hash())) {
                if (hashOf(n, seq - shift).equals(n.hash()) && shift != 0) {
                    // renumbered like its predecessors: already reported once
                } else if (hashOf(n, seq - 1).equals(n.hash())) {
                    shift = 1;
                    problems.add(new Problem(seq - 1, Kind.INSERTED, "inserted entry at seq " + (seq - 1)
                            + ": the entries after it were renumbered (entry seq " + seq + " was seq "
                            + (seq - 1) + ")"));
                } else if (hashOf(n, seq + 1).equals(n.hash())) {
                    shift = -1;
                    problems.add(new Problem(seq, Kind.DELETED, "deleted entry at seq " + seq + ": the entries"
                            + " after it were renumbered (entry seq " + seq + " was seq " + (seq + 1) + ")"));
                } else {
                    problems.add(new Problem(seq, Kind.CHANGED, "changed entry seq " + seq
                            + ": hash mismatch (the stored hash does not match the entry's fields)"));
                }
            }
            if (!n.previous().equals(prev.hash()) && !gap) {
                if (n.previous().equals(prevPrevHash)) {
                    problems.add(new Problem(prev.seq(), Kind.INSERTED, "inserted entry at seq " + prev.seq()
                            + ": entry seq " + seq + " links past it to seq " + (prev.seq() - 1)));
                } else {
                    problems.add(new Problem(prev.seq(), Kind.CHANGED, "changed entry seq " + prev.seq()
                            + ": link broken, entry seq " + seq + " links to a different predecessor (the entry"
                            + " was altered and its hash recomputed, or replaced)"));
                }
            }
            if ("audit.checkpointed".equals(n.action())) {
                // a detail that cannot be read was changed: its hash mismatch is reported above
                FlatJson.number(n.detail(), "upTo").ifPresent(upTo -> {
                    recordedCheckpoints.put(upTo, seq);
                    chainHashAt.put(upTo, n.previous());
                });
            }
            prevPrevHash = prev.hash();
            prev = new Link(seq, n.hash());
        }

        /** Checks the checkpoints and the head against the chain read; call once, after everything was fed. */
        public Report finish() {
            if (finished) {
                throw new IllegalStateException("this verification has finished");
            }
            finished = true;
            List<String> warnings = new ArrayList<>();
            long signed = 0;
            Checkpoint lastSigned = null;
            for (Checkpoint c : checkpoints) {
                if (checkCheckpoint(c, problems)) {
                    signed++;
                    if (lastSigned == null || c.seq() > lastSigned.seq()) {
                        lastSigned = c;
                    }
                }
                if (c.seq() > prev.seq()) {
                    problems.add(new Problem(prev.seq(), Kind.TRUNCATED, "tail truncated after seq " + prev.seq()
                            + ": a checkpoint covers the chain up to seq " + c.seq()));
                } else if (!recordedCheckpoints.containsKey(c.seq())) {
                    problems.add(new Problem(c.seq(), Kind.CHECKPOINT_CHANGED, "checkpoint at seq " + c.seq()
                            + " is not recorded in the chain (inserted, or the chain was rewritten)"));
                } else if (!chainHashAt.get(c.seq()).equals(c.hash())) {
                    problems.add(new Problem(c.seq(), Kind.REWRITTEN, "chain rewritten up to seq " + c.seq()
                            + ": its hash there differs from the signed checkpoint"));
                }
            }
            for (Map.Entry<Long, Long> r : recordedCheckpoints.entrySet()) {
                if (checkpoints.stream().noneMatch(c -> c.seq() == r.getKey())) {
                    problems.add(new Problem(r.getKey(), Kind.CHECKPOINT_MISSING, "checkpoint at seq " + r.getKey()
                            + " is missing (entry seq " + r.getValue() + " records it)"));
                }
            }
            if (head == null) {
                problems.add(new Problem(prev.seq(), Kind.MALFORMED, "the export has no head line: it was cut off"));
            } else if (prev.seq() < head.seq()) {
                problems.add(new Problem(prev.seq(), Kind.TRUNCATED, "tail truncated after seq " + prev.seq()
                        + ": the gateway's head is at seq " + head.seq()));
            } else if (prev.seq() > head.seq()) {
                problems.add(new Problem(head.seq() + 1, Kind.INSERTED, "inserted entr" + (prev.seq() == head.seq() + 1
                        ? "y at seq " + prev.seq() : "ies seq " + (head.seq() + 1) + " to " + prev.seq())
                        + ": after the gateway's head at seq " + head.seq()));
            } else if (!prev.hash().equals(head.hash())) {
                problems.add(new Problem(prev.seq(), Kind.CHANGED, "changed entry seq " + prev.seq()
                        + ": its hash differs from the gateway's head"));
            }
            long lastSignedSeq = lastSigned == null ? 0 : lastSigned.seq();
            long uncovered = Math.max(0, prev.seq() - lastSignedSeq
                    - (recordedCheckpoints.containsKey(lastSignedSeq) ? 1 : 0));
            if (uncovered > 0) {
                warnings.add(uncovered + " entr" + (uncovered == 1 ? "y" : "ies") + " after seq " + lastSignedSeq
                        + " are not yet covered by a signed checkpoint: a change to them would show, their removal"
                        + " together with the head's would not");
            }
            return new Report(entries, prev.seq(), checkpoints.size(), signed, Optional.ofNullable(lastSigned),
                    uncovered, problems.sorted(), List.copyOf(warnings));
        }
    }

    /** Checks one checkpoint's signature and that the signed values are the row's; true when it is validly signed. */
    private boolean checkCheckpoint(Checkpoint c, Problems problems) {
        if (c.document() == null) {
            if (!allowUnsigned) {
                problems.add(new Problem(c.seq(), Kind.CHECKPOINT_UNSIGNED, "checkpoint at seq " + c.seq()
                        + " is unsigned (the gateway had no evidence key); use --allow-unsigned to accept that"));
            }
            return false;
        }
        if (signatures == null) {
            problems.add(new Problem(c.seq(), Kind.CHECKPOINT_CHANGED, "checkpoint at seq " + c.seq()
                    + " is signed, but no CA was given to check it (--trust CA.pem)"));
            return false;
        }
        try {
            byte[] xml = Base64.getDecoder().decode(c.document());
            Instant at = Instant.parse(c.time());
            VerifiedXml verified = signatures.at(at).verify(SecureXml.standard().parse(new ByteArrayInputStream(xml)),
                    SignatureExpectation.documentElement());
            Element root = verified.documentElement();
            if (!NAMESPACE.equals(root.getNamespaceURI()) || !"AuditCheckpoint".equals(root.getLocalName())) {
                throw new IllegalArgumentException("the signed document is no AuditCheckpoint");
            }
            String seq = child(root, "Seq");
            String head = child(root, "Head");
            String time = child(root, "Time");
            if (!seq.equals(Long.toString(c.seq())) || !head.equals(c.hash()) || !time.equals(c.time())) {
                problems.add(new Problem(c.seq(), Kind.CHECKPOINT_CHANGED, "checkpoint at seq " + c.seq()
                        + " was changed: the signed document says seq " + seq + ", head " + head + ", time " + time));
                return false;
            }
            return true;
        } catch (XmlSecurityException e) {
            problems.add(new Problem(c.seq(), Kind.CHECKPOINT_CHANGED, "checkpoint at seq " + c.seq()
                    + ": the signature does not verify (" + e.reason() + "): " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(c.seq(), Kind.CHECKPOINT_CHANGED, "checkpoint at seq " + c.seq()
                    + " cannot be read: " + e.getMessage()));
        }
        return false;
    }

    private static String child(Element root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NAMESPACE.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e.getTextContent();
            }
        }
        throw new IllegalArgumentException("the checkpoint document has no " + name);
    }

    /** The canonical encoding of docs/audit.md, with {@code seq} in place of the entry's own. */
    static String hashOf(Entry n, long seq) {
        StringBuilder b = new StringBuilder("amtsbote-audit-v1\n");
        for (String field : new String[] {Long.toString(seq), n.time(), n.node(), n.actorKind(), n.actorId(),
                n.action(), n.subjects(), n.detail(), n.previous()}) {
            b.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field).append('\n');
        }
        return ContentDigester.hexOf(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Makes the signature verifier for a checkpoint's time: certificates are judged as of when it was signed. */
    @FunctionalInterface
    private interface SignatureVerifierAt {
        XmlSignatureVerifier at(Instant time);
    }

    /** Problems in order of place; where one place has an explanation (inserted) and its symptom, the symptom goes. */
    private static final class Problems {
        private final List<Problem> list = new ArrayList<>();

        void add(Problem p) {
            if (list.size() < MAX_PROBLEMS && list.stream().noneMatch(q -> q.seq() == p.seq() && q.kind() == p.kind())) {
                list.add(p);
            }
        }

        List<Problem> sorted() {
            List<Problem> kept = new ArrayList<>(list.stream().filter(p -> !(p.kind() == Kind.CHANGED
                    && list.stream().anyMatch(q -> q.seq() == p.seq() && q.kind() == Kind.INSERTED))).toList());
            kept.sort(Comparator.comparingLong(Problem::seq));
            return List.copyOf(kept);
        }
    }
}
