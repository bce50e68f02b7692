package de.amtsbote.sandbox.demail;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An independent check of {@code X-de-mail-integrity} for tests, written from the wire contract section 3 without
 * the provider's code: split the raw message, rebuild the header input and the simple body, compare hash or verify
 * the signature with the certificate from the message.
 */
final class IntegrityCheck {

    static final List<String> ORDER = List.of("from", "date", "message-id", "subject", "reply-to",
            "x-de-mail-confirmation-of-dispatch", "x-de-mail-confirmation-of-receipt",
            "x-de-mail-confirmation-of-retrieve", "x-de-mail-authoritative", "x-de-mail-private", "x-de-mail-sender",
            "x-de-mail-chosen-recipient", "x-de-mail-auth-mechanism", "x-de-mail-auth-level",
            "x-de-mail-originator-provider", "x-de-mail-message-type", "x-de-mail-version", "x-de-mail-private-id",
            "x-de-mail-message-id", "x-de-mail-account-holder");

    final Map<String, String> tags = new LinkedHashMap<>();
    final X509Certificate certificate;

    private IntegrityCheck(Map<String, String> tags, X509Certificate certificate) {
        this.tags.putAll(tags);
        this.certificate = certificate;
    }

    /** Checks the message; returns the parsed tags and the certificate (null when only hashed). */
    static IntegrityCheck verify(byte[] raw) throws Exception {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        String head = all.substring(0, end + 2);
        String body = all.substring(end + 4);
        // fields: a line and its continuation lines, raw
        List<String> fields = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (line.startsWith(" ") || line.startsWith("\t")) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        String integrity = first(fields, "x-de-mail-integrity");
        assertThat(integrity).as("X-de-mail-integrity").isNotNull().doesNotContain("\r\n");
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : integrity.substring(integrity.indexOf(':') + 1).split(";")) {
            int eq = t.indexOf('=');
            tags.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
        }
        assertThat(tags).containsKeys("v", "a", "c", "d", "t", "h", "bh", "b").doesNotContainKey("l");
        assertThat(tags.get("c")).isEqualTo("simple/simple");

        List<String> expected = new ArrayList<>();
        for (String n : ORDER) {
            if (first(fields, n) != null) {
                expected.add(n);
            }
        }
        List<String> h = Arrays.stream(tags.get("h").split(":")).map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        assertThat(h).as("h= is the TR list filtered by presence").isEqualTo(expected);

        String[] alg = tags.get("a").split("/");
        Algorithm digest = switch (alg[0]) {
            case "sha256" -> Algorithm.SHA256;
            case "sha384" -> Algorithm.SHA384;
            case "sha512" -> Algorithm.SHA512;
            default -> throw new AssertionError("hash " + alg[0]);
        };
        String simpleBody = body.replaceAll("(\r\n)*$", "") + "\r\n";
        if (body.replaceAll("(\r\n)*$", "").isEmpty()) {
            simpleBody = "\r\n";
        }
        MessageDigest md = JcaNames.messageDigest(digest);
        assertThat(tags.get("bh")).as("bh=").isEqualTo(Base64.getEncoder().encodeToString(
                md.digest(simpleBody.getBytes(StandardCharsets.ISO_8859_1))));

        StringBuilder input = new StringBuilder();
        for (String n : h) {
            input.append(first(fields, n)).append("\r\n");
        }
        input.append(integrity.replaceAll("(;\\s*b=)[^;]*", "$1"));
        byte[] data = input.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = Base64.getDecoder().decode(tags.get("b"));
        String certField = first(fields, "x-de-mail-signature-certificate");
        if (alg.length == 1) {
            assertThat(tags).doesNotContainKey("q");
            assertThat(b).as("b= is the hash of the header input").isEqualTo(JcaNames.messageDigest(digest).digest(data));
            return new IntegrityCheck(tags, null);
        }
        assertThat(alg[1]).isEqualTo("ec-dsa");
        assertThat(tags.get("q")).isEqualTo("x-header/x-de-mail-signature-certificate");
        assertThat(certField).as("X-de-mail-signature-certificate").isNotNull();
        for (String line : certField.substring(certField.indexOf(':') + 1).split("\r\n")) {
            assertThat(line.trim().length()).isLessThanOrEqualTo(76);
        }
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(certField.substring(certField.indexOf(':') + 1)
                        .replaceAll("\\s", ""))));
        Signature verifier = JcaNames.signature(new SignatureSpec(Algorithm.ECDSA, digest, null),
                Providers.bouncyCastle());
        verifier.initVerify(cert.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(b)).as("the ECDSA signature over the header input").isTrue();
        return new IntegrityCheck(tags, cert);
    }

    private static String first(List<String> fields, String name) {
        for (String f : fields) {
            int colon = f.indexOf(':');
            if (colon > 0 && f.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
