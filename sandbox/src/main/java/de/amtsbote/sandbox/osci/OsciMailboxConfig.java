package de.amtsbote.sandbox.osci;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A mailbox in the sandbox directory, held at one of the sandbox intermediaries.
 *
 * <p>A <b>played</b> mailbox is a peer the sandbox plays: it has its keys, fetches its deliveries, acknowledges them
 * ({@link #acknowledge}) and can send. An <b>external</b> mailbox belongs to a client outside the sandbox (a gateway
 * participant): only its certificates are known, and that client fetches itself. Certificates left out of a played
 * mailbox are generated into the configuration's PKI directory; an external mailbox must name its encryption and
 * signature certificates (and, for a beBPo, its origin certificate).
 *
 * @param id           the mailbox id ({@code DE.<Organisation>.<UUID>})
 * @param name         the holder's name shown in the directory
 * @param intermediary the name of the sandbox intermediary that holds it
 * @param bebpo        a beBPo (authority mailbox) with an origin (VHN) certificate
 * @param played       whether the sandbox plays it
 * @param acknowledge  when a played mailbox acknowledges what it fetched
 */
public record OsciMailboxConfig(String id, String name, String intermediary, boolean bebpo, boolean played,
                                AckMode acknowledge, Path encryptionCertificate, Path encryptionKey,
                                Path signatureCertificate, Path signatureKey, Path originCertificate,
                                Path originKey) {

    public OsciMailboxConfig {
        Osci.checkMailboxId(id);
        Objects.requireNonNull(intermediary, "intermediary");
        name = name == null ? id : name;
        acknowledge = acknowledge == null ? AckMode.AT_ONCE : acknowledge;
        if (!played) {
            if (encryptionCertificate == null || signatureCertificate == null) {
                throw new IllegalArgumentException("external mailbox " + id + " needs its encryption and signature"
                        + " certificates");
            }
            if (bebpo && originCertificate == null) {
                throw new IllegalArgumentException("external beBPo mailbox " + id + " needs its origin certificate");
            }
        } else {
            pair(encryptionCertificate, encryptionKey, "encryption", id);
            pair(signatureCertificate, signatureKey, "signature", id);
            pair(originCertificate, originKey, "origin", id);
        }
        if (!bebpo && originCertificate != null) {
            throw new IllegalArgumentException("mailbox " + id + " has an origin certificate but is no beBPo");
        }
    }

    private static void pair(Path cert, Path key, String what, String id) {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("played mailbox " + id + ": the " + what + " certificate and key come"
                    + " together");
        }
    }

    /** A mailbox the sandbox plays, its keys generated unless given. */
    public static Builder played(String id, String intermediary) {
        return new Builder(id, intermediary, true);
    }

    /** A mailbox of an outside client (a gateway participant): give its certificates. */
    public static Builder external(String id, String intermediary) {
        return new Builder(id, intermediary, false);
    }

    public static final class Builder {
        private final String id;
        private final String intermediary;
        private final boolean played;
        private String name;
        private boolean bebpo;
        private AckMode acknowledge = AckMode.AT_ONCE;
        private Path encCert, encKey, sigCert, sigKey, originCert, originKey;

        private Builder(String id, String intermediary, boolean played) {
            this.id = id;
            this.intermediary = intermediary;
            this.played = played;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder bebpo(boolean bebpo) {
            this.bebpo = bebpo;
            return this;
        }

        public Builder acknowledge(AckMode mode) {
            this.acknowledge = mode;
            return this;
        }

        /** The encryption certificate (PEM chain); the key only for a played mailbox (null otherwise). */
        public Builder encryption(Path certificate, Path key) {
            this.encCert = certificate;
            this.encKey = key;
            return this;
        }

        public Builder signature(Path certificate, Path key) {
            this.sigCert = certificate;
            this.sigKey = key;
            return this;
        }

        /** The origin (VHN) certificate of a beBPo; sets {@link #bebpo}. */
        public Builder origin(Path certificate, Path key) {
            this.originCert = certificate;
            this.originKey = key;
            this.bebpo = true;
            return this;
        }

        public OsciMailboxConfig build() {
            return new OsciMailboxConfig(id, name, intermediary, bebpo, played, acknowledge, encCert, encKey,
                    sigCert, sigKey, originCert, originKey);
        }
    }
}
