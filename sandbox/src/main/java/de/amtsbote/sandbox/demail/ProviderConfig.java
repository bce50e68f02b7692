package de.amtsbote.sandbox.demail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One sandbox DMDA (De-Mail-Diensteanbieter, De-Mail provider).
 *
 * @param name               a short name for logs and the HTTP endpoint ({@code dmda-a})
 * @param dmdaDomain         its DMDA domain ({@code dmda-a.de-mail.de}): CN of its signing certificate, {@code d=} of
 *                           its integrity fields, domain of its system addresses
 * @param domains            the De-Mail domains whose mailboxes it serves (its DMDA domain is always one)
 * @param smtpPort           SMTPS submission port (implicit TLS); 0: a free port
 * @param imapPort           IMAP port of its mailboxes (plain, 127.0.0.1); 0: a free port
 * @param signingCertificate PEM: signing certificate first, then its chain
 * @param signingKey         PEM (PKCS#8) key of the signing certificate
 * @param tlsCertificate     PEM: TLS server certificate first, then its chain
 * @param tlsKey             PEM (PKCS#8) key of the TLS server certificate
 * @param clientCa           PEM of the CA certificates TLS client certificates must chain to
 * @param accounts           institutional accounts (SMTP submission with a client certificate)
 * @param mailboxes          mailboxes the sandbox operates (personal or authority users)
 */
public record ProviderConfig(String name, String dmdaDomain, Set<String> domains, int smtpPort, int imapPort,
                             Path signingCertificate, Path signingKey, Path tlsCertificate, Path tlsKey, Path clientCa,
                             List<AccountConfig> accounts, List<MailboxConfig> mailboxes) {

    public ProviderConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dmdaDomain, "dmdaDomain of provider " + name);
        Objects.requireNonNull(signingCertificate, "signing certificate of provider " + name);
        Objects.requireNonNull(signingKey, "signing key of provider " + name);
        Objects.requireNonNull(tlsCertificate, "TLS certificate of provider " + name);
        Objects.requireNonNull(tlsKey, "TLS key of provider " + name);
        Objects.requireNonNull(clientCa, "client CA of provider " + name);
        Set<String> all = new LinkedHashSet<>();
        all.add(dmdaDomain);
        all.addAll(domains);
        domains = Set.copyOf(all);
        accounts = List.copyOf(accounts);
        mailboxes = List.copyOf(mailboxes);
        DeMailConfig.port(smtpPort, "SMTP port of provider " + name);
        DeMailConfig.port(imapPort, "IMAP port of provider " + name);
        for (AccountConfig a : accounts) {
            for (String address : a.addresses()) {
                requireOwn(name, domains, address, "account " + a.id());
            }
        }
        for (MailboxConfig m : mailboxes) {
            requireOwn(name, domains, m.address(), "mailbox");
        }
    }

    private static void requireOwn(String name, Set<String> domains, String address, String what) {
        String problem = DeMailAddress.problem(address, domains);
        if (problem != null) {
            throw new IllegalArgumentException("provider " + name + ", " + what + ": " + problem);
        }
        if (!domains.contains(DeMailAddress.domain(address))) {
            throw new IllegalArgumentException("provider " + name + ", " + what + ": " + address
                    + " is not on one of its domains " + domains);
        }
    }

    public static Builder builder(String name, String dmdaDomain) {
        return new Builder(name, dmdaDomain);
    }

    /** Builds a {@link ProviderConfig}; ports default to 0 (free ports). */
    public static final class Builder {
        private final String name;
        private final String dmdaDomain;
        private final Set<String> domains = new LinkedHashSet<>();
        private int smtpPort;
        private int imapPort;
        private Path signingCertificate;
        private Path signingKey;
        private Path tlsCertificate;
        private Path tlsKey;
        private Path clientCa;
        private final List<AccountConfig> accounts = new ArrayList<>();
        private final List<MailboxConfig> mailboxes = new ArrayList<>();

        private Builder(String name, String dmdaDomain) {
            this.name = name;
            this.dmdaDomain = dmdaDomain;
        }

        /** A further De-Mail domain it serves ({@code bad-vilbel.de-mail.de}). */
        public Builder domain(String domain) {
            domains.add(domain);
            return this;
        }

        public Builder smtpPort(int port) {
            this.smtpPort = port;
            return this;
        }

        public Builder imapPort(int port) {
            this.imapPort = port;
            return this;
        }

        public Builder signing(Path certificatePem, Path keyPem) {
            this.signingCertificate = certificatePem;
            this.signingKey = keyPem;
            return this;
        }

        public Builder tls(Path certificatePem, Path keyPem) {
            this.tlsCertificate = certificatePem;
            this.tlsKey = keyPem;
            return this;
        }

        public Builder clientCa(Path pem) {
            this.clientCa = pem;
            return this;
        }

        /**
         * Takes what is not set yet from a sandbox PKI: its signing certificate for the DMDA domain (issued if
         * missing), the TLS server certificate, and the PKI root as client CA.
         */
        public Builder pki(DeMailPki pki) throws IOException {
            if (signingCertificate == null) {
                signing(pki.ensureSigning(dmdaDomain), pki.signingKey(dmdaDomain));
            }
            if (tlsCertificate == null) {
                tls(pki.tlsCertificate(), pki.tlsKey());
            }
            if (clientCa == null) {
                clientCa(pki.anchorFile());
            }
            return this;
        }

        public Builder account(AccountConfig account) {
            accounts.add(Objects.requireNonNull(account, "account"));
            return this;
        }

        public Builder mailbox(MailboxConfig mailbox) {
            mailboxes.add(Objects.requireNonNull(mailbox, "mailbox"));
            return this;
        }

        public ProviderConfig build() {
            return new ProviderConfig(name, dmdaDomain, domains, smtpPort, imapPort, signingCertificate, signingKey,
                    tlsCertificate, tlsKey, clientCa, accounts, mailboxes);
        }
    }
}
