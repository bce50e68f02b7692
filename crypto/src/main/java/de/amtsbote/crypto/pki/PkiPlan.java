package de.amtsbote.crypto.pki;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a generated PKI should contain: one entry per certificate, with a file name, the profile, the key and the
 * e-mail or DNS names. The demo builds one plan for its participants, peers, provider, intermediary, evidence signer
 * and TLS endpoints; tests build small ones.
 */
public final class PkiPlan {

    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,80}");

    /**
     * One certificate of the plan.
     *
     * @param name       the file name stem: {@code <name>.pem} (chain) and {@code <name>.key.pem} (key)
     * @param commonName the subject's CN
     * @param profile    what it is for
     * @param key        its key
     * @param emails     rfc822Name alternative names
     * @param dnsNames   dNSName alternative names (TLS)
     */
    public record Entry(String name, String commonName, CertificateProfile profile, KeySpec key, List<String> emails,
                        List<String> dnsNames) {
        public Entry {
            if (name == null || !FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("PKI entry names are lower-case file names: " + name);
            }
            Objects.requireNonNull(commonName, "commonName");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(key, "key");
            emails = List.copyOf(emails);
            dnsNames = List.copyOf(dnsNames);
        }
    }

    private final String caName;
    private final KeySpec caKey;
    private final List<Entry> entries = new ArrayList<>();

    public PkiPlan(String caName, KeySpec caKey) {
        this.caName = Objects.requireNonNull(caName);
        this.caKey = Objects.requireNonNull(caKey);
    }

    public PkiPlan add(String name, String commonName, CertificateProfile profile, KeySpec key, String... emails) {
        entries.add(new Entry(name, commonName, profile, key, List.of(emails), List.of()));
        return this;
    }

    public PkiPlan addTls(String name, String commonName, CertificateProfile profile, KeySpec key, String... dnsNames) {
        entries.add(new Entry(name, commonName, profile, key, List.of(), List.of(dnsNames)));
        return this;
    }

    public String caName() {
        return caName;
    }

    public KeySpec caKey() {
        return caKey;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
