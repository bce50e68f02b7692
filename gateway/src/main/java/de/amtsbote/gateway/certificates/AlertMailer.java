package de.amtsbote.gateway.certificates;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Sends alert mails through the configured SMTP server: plain text, one mail per recipient. */
final class AlertMailer {

    private final CertificateProperties.AlertMail settings;
    private final Session session;

    AlertMailer(CertificateProperties.AlertMail settings) {
        this.settings = settings;
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", settings.host());
        p.setProperty("mail.smtp.port", Integer.toString(settings.port()));
        p.setProperty("mail.smtp.from", settings.from());
        String timeout = Long.toString(settings.timeout().toMillis());
        p.setProperty("mail.smtp.connectiontimeout", timeout);
        p.setProperty("mail.smtp.timeout", timeout);
        p.setProperty("mail.smtp.writetimeout", timeout);
        if (settings.starttls()) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
            p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(p);
    }

    void send(String to, String subject, String text) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(settings.from(), true));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        m.setSubject(subject, StandardCharsets.UTF_8.name());
        m.setSentDate(new Date());
        m.setText(text, StandardCharsets.UTF_8.name());
        m.setHeader("Auto-Submitted", "auto-generated");
        Transport.send(m);
    }

    @Override
    public String toString() {
        return "SMTP " + settings.host() + ":" + settings.port();
    }
}
