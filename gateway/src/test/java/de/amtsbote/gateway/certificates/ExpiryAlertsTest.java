package de.amtsbote.gateway.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.gateway.console.certificates.CertificatesGateway;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Expiry alerts: the metric, one log line and one mail a day per certificate, to the security officers. */
@ExtendWith(OutputCaptureExtension.class)
class ExpiryAlertsTest extends CertificatesGateway {

    @Autowired
    ExpiryAlerts alerts;
    @Autowired
    CertificateInventory inventory;

    @Test
    void anExpiringCertificateIsAlertedByLogAndMailOnceADay(CapturedOutput output) throws Exception {
        List<X509Certificate> chain = partnerCertificate("Ablauf", "ablauf@partner.example",
                CertificateProfile.ENCRYPTION, Duration.ofDays(5));
        PartnerCertificate p = inventory.importPartner("smime:ablauf@partner.example", pem(chain), "t", c -> { });
        int mailsBefore = SMTP.getReceivedMessages().length;

        ExpiryAlerts.Report report = alerts.check();

        assertThat(report.alerted()).extracting(ExpiryAlerts.Alert::fingerprint).contains(p.fingerprint());
        assertThat(report.mailsSent()).isEqualTo(1);
        assertThat(SMTP.waitForIncomingEmail(10_000, mailsBefore + 1)).isTrue();
        MimeMessage mail = SMTP.getReceivedMessages()[mailsBefore];
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly(OFFICER_MAIL);
        assertThat(mail.getSubject()).startsWith("Amtsbote:").contains("Zertifikat");
        String body = String.valueOf(mail.getContent());
        assertThat(body).contains("smime:ablauf@partner.example", p.serial(), "CN=Ablauf",
                        p.notAfter().toString().substring(0, 10), "noch " + p.daysLeft() + " Tage")
                .doesNotContain("PRIVATE");
        assertThat(output.getOut()).containsPattern("WARN .*certificate expiring: partner smime:ablauf@partner\\.example"
                + " .*serial " + p.serial() + ".*days left");

        ExpiryAlerts.Report again = alerts.check();

        assertThat(again.alerted()).extracting(ExpiryAlerts.Alert::fingerprint).doesNotContain(p.fingerprint());
        assertThat(SMTP.getReceivedMessages()).hasSize(mailsBefore + 1 + again.mailsSent());
        assertThat(jdbc.sql("select status from certificate_alert where fingerprint = :f")
                .param("f", p.fingerprint()).query(String.class).single()).isEqualTo("EXPIRING");
    }

    @Test
    void theGaugesCountExpiringAndExpiredCertificatesInUseByKind() throws Exception {
        List<X509Certificate> chain = partnerCertificate("Zaehler", "zaehler@partner.example",
                CertificateProfile.ENCRYPTION, Duration.ofDays(7));
        inventory.importPartner("smime:zaehler@partner.example", pem(chain), "t", c -> { });

        ExpiryAlerts.Report report = alerts.check();

        String metrics = client(MONITORING_TOKEN).get("/actuator/prometheus").text();
        assertThat(gauge(metrics, "amtsbote_certificates_expiring", "partner"))
                .isEqualTo(report.inventory().partnerCount(CertificateStatus.EXPIRING)).isPositive();
        assertThat(gauge(metrics, "amtsbote_certificates_expired", "partner")).as("verband-alt's configured one")
                .isEqualTo(report.inventory().partnerCount(CertificateStatus.EXPIRED)).isPositive();
        assertThat(gauge(metrics, "amtsbote_certificates_expiring", "own"))
                .isEqualTo(report.inventory().ownCount(CertificateStatus.EXPIRING));
        assertThat(metrics).contains("amtsbote_certificates_pending");
        assertThat(jdbc.sql("select count(*) from certificate_alert where fingerprint = :f and status = 'EXPIRED'")
                .param("f", CertificateInventory.fingerprint(EXPIRED_PARTNER.get(0))).query(Long.class).single())
                .as("the expired one was alerted about too").isOne();
    }

    private static long gauge(String metrics, String name, String kind) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*kind=\"" + kind + "\"[^}]*} ([0-9.]+)$").matcher(metrics);
        assertThat(m.find()).as(name + " " + kind + " in\n" + metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
