package de.amtsbote.gateway.certificates;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.certificates}: when a certificate counts as expiring, how often the gateway looks, and the optional
 * alert mail to the security officers (docs/console/certificates.md).
 *
 * <pre>
 * amtsbote:
 *   certificates:
 *     expiry-warning: 30d            # a certificate ending within this is EXPIRING
 *     alert-interval: 1h             # how often expiry is checked (also once at start)
 *     alert-mail:
 *       host: mail.bad-vilbel.de     # unset: no mail, only the log line and the metric
 *       port: 25
 *       from: amtsbote@bad-vilbel.de
 * </pre>
 *
 * @param expiryWarning how long before its end a certificate is shown and counted as expiring
 * @param alertInterval the time between two expiry checks
 * @param alertMail     the SMTP server for alert mails; off unless a host is given
 */
@ConfigurationProperties("amtsbote.certificates")
public record CertificateProperties(@DefaultValue("30d") Duration expiryWarning,
                                    @DefaultValue("1h") Duration alertInterval,
                                    @DefaultValue AlertMail alertMail) {

    public CertificateProperties {
        if (expiryWarning.isNegative() || expiryWarning.isZero()) {
            throw new IllegalStateException("amtsbote.certificates.expiry-warning must be positive, got "
                    + expiryWarning);
        }
        if (alertInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("amtsbote.certificates.alert-interval must be at least 1s, got "
                    + alertInterval);
        }
        if (alertMail.enabled() && (alertMail.from() == null || alertMail.from().indexOf('@') < 1)) {
            throw new IllegalStateException("amtsbote.certificates.alert-mail.from must be an e-mail address when"
                    + " alert-mail.host is set");
        }
    }

    /**
     * The SMTP server that takes the alert mails (plain SMTP, optionally with STARTTLS; no authentication: an internal
     * relay that accepts mail from the gateway's host).
     *
     * @param host     the server; unset or blank: no alert mail
     * @param port     its port
     * @param from     the sender address
     * @param starttls whether to require STARTTLS
     * @param language the language of the mail text ({@code de} or {@code en})
     * @param timeout  connect and read timeout
     */
    public record AlertMail(String host, @DefaultValue("25") int port, String from,
                            @DefaultValue("false") boolean starttls, @DefaultValue("de") String language,
                            @DefaultValue("30s") Duration timeout) {

        public boolean enabled() {
            return host != null && !host.isBlank();
        }

        public Locale locale() {
            return Locale.forLanguageTag(language);
        }
    }
}
