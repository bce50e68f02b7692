package de.amtsbote.gateway.certificates;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Watches the certificates the gateway uses — its own keys that are active or in overlap, and each partner address's
 * current certificate — and says when one is about to end or has ended: at start and every
 * {@code amtsbote.certificates.alert-interval}.
 *
 * <ul>
 *   <li>Gauges {@code amtsbote.certificates.expiring} and {@code amtsbote.certificates.expired} (tag {@code kind}:
 *       {@code own} or {@code partner}) and {@code amtsbote.certificates.pending} (keys waiting for a certificate),
 *       at {@code /actuator/prometheus}.</li>
 *   <li>One WARN log line per expiring or expired certificate a day: subject, serial, not-after, days left.</li>
 *   <li>If {@code amtsbote.certificates.alert-mail.host} is set, a mail with the same facts to each
 *       {@link AlertRecipients recipient}.</li>
 * </ul>
 *
 * <p>A certificate is alerted about at most once a day for a status, whichever node looks first: the claim is a row
 * in {@code certificate_alert}. A mail that cannot be sent gives the claim back, so the next check tries again.
 */
@Component
public class ExpiryAlerts {

    private static final Logger log = LoggerFactory.getLogger(ExpiryAlerts.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final CertificateInventory inventory;
    private final CertificateProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ObjectProvider<AlertRecipients> recipients;
    private final MessageSource texts;
    private final AlertMailer mailer;
    private final AtomicLong expiringOwn = new AtomicLong();
    private final AtomicLong expiringPartner = new AtomicLong();
    private final AtomicLong expiredOwn = new AtomicLong();
    private final AtomicLong expiredPartner = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private volatile Instant lastRun = Instant.EPOCH;

    ExpiryAlerts(CertificateInventory inventory, CertificateProperties properties, JdbcClient jdbc, Clock clock,
                 ObjectProvider<AlertRecipients> recipients, MessageSource texts, MeterRegistry meters) {
        this.inventory = inventory;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
        this.recipients = recipients;
        this.texts = texts;
        this.mailer = properties.alertMail().enabled() ? new AlertMailer(properties.alertMail()) : null;
        gauge(meters, "amtsbote.certificates.expiring", "own", expiringOwn,
                "certificates in use that end within the expiry warning");
        gauge(meters, "amtsbote.certificates.expiring", "partner", expiringPartner,
                "certificates in use that end within the expiry warning");
        gauge(meters, "amtsbote.certificates.expired", "own", expiredOwn, "certificates in use that have ended");
        gauge(meters, "amtsbote.certificates.expired", "partner", expiredPartner,
                "certificates in use that have ended");
        Gauge.builder("amtsbote.certificates.pending", pending, AtomicLong::get)
                .description("own keys waiting for their certificate").register(meters);
    }

    private static void gauge(MeterRegistry meters, String name, String kind, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).tag("kind", kind).description(description).register(meters);
    }

    /** What one check found and did. */
    public record Report(Inventory inventory, List<Alert> alerted, int mailsSent) {
    }

    /**
     * One certificate alerted about.
     *
     * @param kind        {@code own} or {@code partner}
     * @param name        the key's reference, or the partner's address
     * @param fingerprint the certificate's SHA-256 fingerprint
     */
    public record Alert(String kind, String name, String subject, String serial, Instant notAfter, long daysLeft,
                        CertificateStatus status, String fingerprint) {
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        checkSafely();
    }

    /** Looks every minute whether the interval has passed (so a changed interval needs no cron expression). */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
    void whenDue() {
        if (!clock.instant().isBefore(lastRun.plus(properties.alertInterval()))) {
            checkSafely();
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("certificate expiry check failed: {}", e.getMessage(), e);
        }
    }

    /** Checks now: updates the gauges, logs and mails what was not yet alerted about today. */
    public synchronized Report check() {
        lastRun = clock.instant();
        Inventory all = inventory.inventory();
        expiringOwn.set(all.ownCount(CertificateStatus.EXPIRING));
        expiringPartner.set(all.partnerCount(CertificateStatus.EXPIRING));
        expiredOwn.set(all.ownCount(CertificateStatus.EXPIRED));
        expiredPartner.set(all.partnerCount(CertificateStatus.EXPIRED));
        pending.set(all.pending());

        Inventory due = all.expiringOnly();
        List<Alert> candidates = new ArrayList<>();
        due.ownKeys().forEach(k -> candidates.add(new Alert("own", k.id(), k.subject(), k.serial(), k.notAfter(),
                k.daysLeft(), k.status(), k.fingerprint())));
        due.partners().forEach(p -> candidates.add(new Alert("partner", p.address(), p.subject(), p.serial(),
                p.notAfter(), p.daysLeft(), p.status(), p.fingerprint())));
        LocalDate today = LocalDate.ofInstant(all.at(), ZoneOffset.UTC);
        List<Alert> claimed = candidates.stream().filter(a -> claim(a, today)).toList();
        for (Alert a : claimed) {
            if (a.status() == CertificateStatus.EXPIRED) {
                log.warn("certificate expired: {} {} — {} (serial {}), not after {}", a.kind(), a.name(), a.subject(),
                        a.serial(), a.notAfter());
            } else {
                log.warn("certificate expiring: {} {} — {} (serial {}), not after {}, {} days left", a.kind(),
                        a.name(), a.subject(), a.serial(), a.notAfter(), a.daysLeft());
            }
        }
        int sent = claimed.isEmpty() ? 0 : mail(claimed, today);
        return new Report(all, claimed, sent);
    }

    private int mail(List<Alert> alerts, LocalDate today) {
        if (mailer == null) {
            return 0;
        }
        List<String> to = recipients.stream().flatMap(r -> r.expiryAlertAddresses().stream()).distinct().toList();
        if (to.isEmpty()) {
            log.warn("certificate expiry alert mail is configured, but no security officer has an e-mail address"
                    + " (amtsbote.console.users[].email)");
            return 0;
        }
        Locale locale = properties.alertMail().locale();
        String subject = texts.getMessage("certificates.mail.subject", new Object[] {alerts.size()}, locale);
        String body = body(alerts, locale);
        int sent = 0;
        for (String address : to) {
            try {
                mailer.send(address, subject, body);
                sent++;
            } catch (MessagingException e) {
                log.error("certificate expiry alert to {} through {} failed: {}", address, mailer, e.getMessage());
            }
        }
        if (sent == 0) {
            // nobody got it: give the claims back, so that the next check tries again
            alerts.forEach(a -> jdbc.sql("delete from certificate_alert where fingerprint = :f and alerted_on = :d")
                    .param("f", a.fingerprint()).param("d", today).update());
        }
        return sent;
    }

    private String body(List<Alert> alerts, Locale locale) {
        StringBuilder b = new StringBuilder();
        b.append(texts.getMessage("certificates.mail.intro",
                new Object[] {properties.expiryWarning().toDays()}, locale)).append("\n\n");
        for (Alert a : alerts) {
            String what = a.kind().equals("own")
                    ? texts.getMessage("certificates.mail.own", new Object[] {a.name()}, locale)
                    : texts.getMessage("certificates.mail.partner", new Object[] {a.name()}, locale);
            String left = a.status() == CertificateStatus.EXPIRED
                    ? texts.getMessage("certificates.mail.expired", null, locale)
                    : texts.getMessage("certificates.mail.daysLeft", new Object[] {a.daysLeft()}, locale);
            b.append("* ").append(what).append('\n')
                    .append("  ").append(texts.getMessage("certificates.mail.subjectLine",
                            new Object[] {a.subject()}, locale)).append('\n')
                    .append("  ").append(texts.getMessage("certificates.mail.serial",
                            new Object[] {a.serial()}, locale)).append('\n')
                    .append("  ").append(texts.getMessage("certificates.mail.notAfter",
                            new Object[] {DATE.format(a.notAfter()), left}, locale)).append("\n\n");
        }
        b.append(texts.getMessage("certificates.mail.outro", null, locale)).append('\n');
        return b.toString();
    }

    /** Takes today's alert for the certificate and status, unless some node already did. */
    private boolean claim(Alert a, LocalDate today) {
        if (a.fingerprint() == null) {
            return false;
        }
        int updated = jdbc.sql("update certificate_alert set status = :s, alerted_on = :d where fingerprint = :f"
                        + " and (alerted_on < :d or status <> :s)")
                .param("s", a.status().name()).param("d", today).param("f", a.fingerprint()).update();
        if (updated > 0) {
            return true;
        }
        try {
            jdbc.sql("insert into certificate_alert (fingerprint, status, alerted_on) values (:f, :s, :d)")
                    .param("f", a.fingerprint()).param("s", a.status().name()).param("d", today).update();
            return true;
        } catch (DuplicateKeyException alreadyAlerted) {
            return false;
        }
    }
}
