package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anchors of {@code amtsbote.crypto.trust-anchors}, read once at start: every certificate in each PEM file. A file
 * that cannot be read stops the start, naming it. The same certificate in two files counts once.
 */
final class ConfiguredTrustAnchors {

    private final List<TrustAnchor> anchors;

    private ConfiguredTrustAnchors(List<TrustAnchor> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    static ConfiguredTrustAnchors read(List<Path> files) {
        Map<String, TrustAnchor> byFingerprint = new LinkedHashMap<>();
        for (Path file : files) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("amtsbote.crypto.trust-anchors: cannot read " + file.toAbsolutePath());
            }
            List<X509Certificate> certificates;
            try {
                certificates = Pem.readCertificates(file);
            } catch (IOException | CertificateException e) {
                throw new IllegalStateException("amtsbote.crypto.trust-anchors: " + file.toAbsolutePath()
                        + " holds no readable certificate: " + e.getMessage(), e);
            }
            for (X509Certificate c : certificates) {
                TrustAnchor a = TrustAnchor.configured(file, c);
                byFingerprint.putIfAbsent(a.fingerprint(), a);
            }
        }
        return new ConfiguredTrustAnchors(new ArrayList<>(byFingerprint.values()));
    }

    List<TrustAnchor> anchors() {
        return anchors;
    }

    List<X509Certificate> certificates() {
        return anchors.stream().map(TrustAnchor::certificate).toList();
    }
}
