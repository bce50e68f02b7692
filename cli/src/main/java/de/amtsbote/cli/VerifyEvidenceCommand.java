package de.amtsbote.cli;

import de.amtsbote.crypto.evidence.EvidenceChain;
import de.amtsbote.crypto.evidence.EvidenceException;
import de.amtsbote.crypto.evidence.EvidenceVerifier;
import de.amtsbote.crypto.evidence.VerifiedEvidence;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Verifies evidence documents offline, from the CA certificate alone: each document's signature and signer, and for
 * several documents of one message their chain. Revocation is checked as far as it can be without configuration (the
 * OCSP responder or CRL the certificates name, CRL files given here); what could not be checked is printed, and
 * {@code --require-revocation} turns it into a failure.
 */
@Command(name = "verify-evidence", mixinStandardHelpOptions = true,
        description = {"Verify evidence documents offline: the signature, the signer's certificate (evidence"
                + " certificate under the given CA), and for several files of one message that each names the one"
                + " before it. Exit 0: all valid; 1: not valid (the reason is printed); 2: cannot run."})
final class VerifyEvidenceCommand implements Callable<Integer> {

    /** Larger than any evidence document the gateway writes (proofs are at most 1 MiB, base64 in the document). */
    private static final long MAX_FILE = 8L << 20;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "evidence documents; several of one message in"
            + " chain order (oldest first)")
    List<Path> files;

    @Option(names = "--trust", required = true, paramLabel = "CA.pem", description = "the CA certificate(s) to trust"
            + " (PEM); nothing else is trusted")
    Path trust;

    @Option(names = "--crl", paramLabel = "FILE", description = "a CRL file (PEM or DER) to check revocation with;"
            + " may be repeated")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--require-revocation", description = "fail when the revocation status cannot be had (default:"
            + " accept and say so, since an offline verifier often cannot reach a responder)")
    boolean requireRevocation;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvidenceVerifier verifier;
        try {
            verifier = verifier();
        } catch (IOException | CertificateException | IllegalArgumentException e) {
            err.println("cannot use --trust " + trust + ": " + e.getMessage());
            return 2;
        }
        LinkedHashMap<String, VerifiedEvidence> verified = new LinkedHashMap<>();
        boolean allValid = true;
        for (Path file : files) {
            byte[] bytes;
            try {
                if (Files.size(file) > MAX_FILE) {
                    err.println(file + ": NOT VALID (NOT_EVIDENCE): " + Files.size(file) + " bytes is larger than any"
                            + " evidence document");
                    allValid = false;
                    continue;
                }
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                err.println("cannot read " + file + ": " + e.getMessage());
                return 2;
            }
            try {
                VerifiedEvidence e = verifier.verify(bytes);
                verified.put(file.toString(), e);
                print(out, file, e);
            } catch (EvidenceException e) {
                err.println(file + ": NOT VALID (" + e.problem() + "): " + e.getMessage());
                allValid = false;
            }
        }
        if (!allValid) {
            return 1;
        }
        if (files.size() > 1) {
            try {
                EvidenceChain.Report chain = EvidenceChain.check(verified);
                out.println("chain: " + chain.documents() + " documents of message "
                        + verified.values().iterator().next().messageId() + ", each linked to the one before it by"
                        + " its SHA-256" + (chain.complete() ? ", starting at the first evidence of the message"
                        : "; the first given names an earlier document that was not given"));
            } catch (EvidenceException e) {
                err.println("chain: NOT VALID (" + e.problem() + "): " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    private EvidenceVerifier verifier() throws IOException, CertificateException {
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        PkixCertificateValidator.Builder b = PkixCertificateValidator.builder().policy(policy)
                .trustAnchorsFrom(trust).revocation(RevocationSources.OCSP_THEN_CRL)
                .timeouts(Duration.ofSeconds(3), Duration.ofSeconds(5));
        for (Path crl : crls) {
            b.crlFile(crl);
        }
        if (!requireRevocation) {
            b.softFail();
        }
        return new EvidenceVerifier(policy, b.build());
    }

    private static void print(PrintWriter out, Path file, VerifiedEvidence e) {
        out.println(file + ": VALID");
        out.println("  event:    " + e.event() + " (evidence " + e.evidenceId() + ")");
        out.println("  message:  " + e.messageId() + (e.deliveryId() == null ? "" : ", delivery " + e.deliveryId()));
        out.println("  time:     " + e.time());
        out.println("  signer:   " + e.signerName() + " (serial " + hex(e.signer().getSerialNumber())
                + ", issued by " + e.signer().getIssuerX500Principal().getName() + ")");
        out.println("  checked:  signature over the whole document; certificate path to "
                + (e.validation().anchor() == null ? "the trusted CA"
                : e.validation().anchor().getSubjectX500Principal().getName())
                + " valid at the event time for evidence signatures; revocation "
                + (e.validation().revocation() == null ? "not checked" : e.validation().revocation()));
        for (String flag : e.flags()) {
            out.println("  note:     " + flag);
        }
        out.println("  sha-256:  " + e.digest());
    }

    private static String hex(BigInteger serial) {
        return serial.toString(16);
    }
}
