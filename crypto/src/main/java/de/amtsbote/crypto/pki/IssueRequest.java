package de.amtsbote.crypto.pki;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a certificate should say: subject, profile, key, validity, alternative names and where its revocation status
 * is published. Mutable builder; {@link CertificateAuthority#issue(IssueRequest)} reads it once.
 */
public final class IssueRequest {

    final String commonName;
    String organization = "Amtsbote Test-PKI";
    CertificateProfile profile = CertificateProfile.SIGNING_AND_ENCRYPTION;
    KeySpec key = KeySpec.rsaDefault();
    Instant notBefore;
    Instant notAfter;
    Duration validity = Duration.ofDays(730);
    final List<String> emails = new ArrayList<>();
    final List<String> dnsNames = new ArrayList<>();
    final List<String> ipAddresses = new ArrayList<>();
    URI crlUrl;
    URI ocspUrl;

    private IssueRequest(String commonName) {
        this.commonName = Objects.requireNonNull(commonName, "commonName");
    }

    public static IssueRequest named(String commonName) {
        return new IssueRequest(commonName);
    }

    public IssueRequest organization(String organization) {
        this.organization = Objects.requireNonNull(organization);
        return this;
    }

    public IssueRequest profile(CertificateProfile profile) {
        this.profile = Objects.requireNonNull(profile);
        return this;
    }

    public IssueRequest key(KeySpec key) {
        this.key = Objects.requireNonNull(key);
        return this;
    }

    /** An rfc822Name alternative name: the S/MIME address the certificate is for. */
    public IssueRequest email(String address) {
        emails.add(Objects.requireNonNull(address));
        return this;
    }

    public IssueRequest dns(String name) {
        dnsNames.add(Objects.requireNonNull(name));
        return this;
    }

    public IssueRequest ip(String address) {
        ipAddresses.add(Objects.requireNonNull(address));
        return this;
    }

    /** Validity from {@code notBefore} to {@code notAfter}, also in the past or the future (tests of expiry). */
    public IssueRequest validity(Instant notBefore, Instant notAfter) {
        this.notBefore = Objects.requireNonNull(notBefore);
        this.notAfter = Objects.requireNonNull(notAfter);
        return this;
    }

    /** Validity from now (the CA's clock, less a minute of clock skew) for this long. */
    public IssueRequest validFor(Duration validity) {
        this.validity = Objects.requireNonNull(validity);
        this.notBefore = null;
        this.notAfter = null;
        return this;
    }

    /** A CRL distribution point (HTTP or file URI). */
    public IssueRequest crl(URI url) {
        this.crlUrl = url;
        return this;
    }

    /** An OCSP responder in the authority information access extension. */
    public IssueRequest ocsp(URI url) {
        this.ocspUrl = url;
        return this;
    }
}
