package de.amtsbote.adapter.demail;

import de.amtsbote.adapter.mail.MailSettings;
import de.amtsbote.adapter.mail.MailSettings.Mailbox;
import de.amtsbote.adapter.mail.MailSettings.Tls;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.spi.ChannelSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The De-Mail channel's configuration, read from {@code amtsbote.channels.demail.*}. Every key is documented in the
 * package documentation; a bad value fails at start-up with a message naming the key.
 *
 * @param submission     where outbound De-Mail is submitted, or null (the channel then only receives)
 * @param mailboxes      the provider's IMAP mailboxes of the gateway's De-Mail addresses
 * @param domains        further De-Mail domains besides {@code de-mail.de} (providers' own domains)
 * @param providerAnchors the De-Mail trust anchors: provider signatures must validate to one of them
 * @param confirmationWait how long the recipient's copy of a confirmation, read before the message it confirms, is
 *                        left in the mailbox for that message (counted from the confirmation's Date)
 */
record DeMailSettings(Submission submission, List<Mailbox> mailboxes, Set<String> domains,
                      List<X509Certificate> providerAnchors, long maxMessageBytes, Duration receiptWindow,
                      Duration confirmationWait, Path spoolDirectory) {

    /** TR 01201 3.1 §3.3: users get at least 20 MiB net per message. */
    static final long DEFAULT_MAX_MESSAGE_BYTES = 20L << 20;
    static final Duration DEFAULT_RECEIPT_WINDOW = Duration.ofDays(90);
    /** Providers deliver a message and its Eingangsbestätigung within seconds; an hour covers a slow mailbox. */
    static final Duration DEFAULT_CONFIRMATION_WAIT = Duration.ofHours(1);

    /**
     * The provider's SMTP submission with TLS client-certificate login.
     *
     * @param clientKeyOwner the owner of the {@code TLS} key in the key vault whose certificate logs in
     * @param trustAnchors   the anchors the provider's TLS server certificate must chain to (empty: the JDK's)
     */
    record Submission(String host, int port, Tls tls, String clientKeyOwner, List<X509Certificate> trustAnchors,
                      Duration connectTimeout, Duration timeout, String heloName) {
        String peer() {
            return host + ":" + port;
        }
    }

    DeMailSettings {
        mailboxes = List.copyOf(mailboxes);
        domains = Set.copyOf(domains);
        providerAnchors = List.copyOf(providerAnchors);
        Objects.requireNonNull(receiptWindow, "receiptWindow");
        Objects.requireNonNull(confirmationWait, "confirmationWait");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
    }

    Optional<Submission> submissionIfConfigured() {
        return Optional.ofNullable(submission);
    }

    static DeMailSettings from(ChannelSettings settings) {
        Set<String> domains = new LinkedHashSet<>();
        settings.get("domains").ifPresent(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(d -> !d.isEmpty()).forEach(d -> {
                    if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                        throw MailSettings.invalid(settings, "domains", "lists '" + d + "', which is not a lower-case"
                                + " domain name");
                    }
                    domains.add(d);
                }));
        DeMailAddresses addresses = new DeMailAddresses(domains);
        Submission submission = settings.get("submission.host").isPresent() ? submission(settings) : null;
        long max = settings.get("max-message-size").map(v -> MailSettings.dataSize(settings, "max-message-size", v))
                .orElse(DEFAULT_MAX_MESSAGE_BYTES);
        List<X509Certificate> anchors = settings.get("provider-trust-pem")
                .map(p -> certificates(settings, "provider-trust-pem", p)).orElse(List.of());
        return new DeMailSettings(submission, MailSettings.mailboxes(settings, addresses::check), domains, anchors,
                max, MailSettings.positive(settings, "receipt-window", DEFAULT_RECEIPT_WINDOW),
                MailSettings.positive(settings, "confirmation-wait", DEFAULT_CONFIRMATION_WAIT),
                settings.get("spool-dir").map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir"))));
    }

    private static Submission submission(ChannelSettings settings) {
        Tls tls = Tls.parse(settings, "submission.tls", Tls.IMPLICIT);
        if (tls == Tls.NONE) {
            throw MailSettings.invalid(settings, "submission.tls", "must be implicit or starttls: the provider logs"
                    + " the gateway in by its TLS client certificate");
        }
        List<X509Certificate> trust = settings.get("submission.trust-pem")
                .map(p -> certificates(settings, "submission.trust-pem", p)).orElse(List.of());
        return new Submission(MailSettings.hostName(settings, "submission.host"),
                MailSettings.port(settings, "submission.port", tls == Tls.IMPLICIT ? 465 : 587, false), tls,
                settings.get("submission.client-key-owner").orElse("gateway"), trust,
                MailSettings.positive(settings, "submission.connect-timeout", Duration.ofSeconds(10)),
                MailSettings.positive(settings, "submission.timeout", Duration.ofSeconds(60)),
                settings.get("submission.helo-name").orElse(null));
    }

    private static List<X509Certificate> certificates(ChannelSettings settings, String key, String path) {
        try {
            List<X509Certificate> certificates = Pem.readCertificates(Path.of(path));
            if (certificates.isEmpty()) {
                throw MailSettings.invalid(settings, key, "names " + path + ", which holds no certificate");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw MailSettings.invalid(settings, key, "names " + path + ", which cannot be read as PEM certificates: "
                    + e.getMessage());
        }
    }
}
