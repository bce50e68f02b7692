package de.amtsbote.gateway.bundle;

import de.amtsbote.gateway.messages.DeliveryView;
import de.amtsbote.gateway.messages.MessageView;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the bundle's "Zustellnachweis" (German: proof of delivery) as a PDF for people: the message, each
 * recipient with its final state, every evidence event with its times, the assurance of its transport proof and its
 * digests, and how to check the evidence files without the gateway. Labels are German and English. The report
 * repeats the evidence documents; they, not the report, are the record.
 */
final class ProofOfDeliveryReport {

    static final String TITLE = "Zustellnachweis / Proof of delivery";

    /** One line each on what vouches for a transport proof ({@code de.amtsbote.spi.Assurance}). */
    static final Map<String, String> ASSURANCE = Map.of(
            "PROVIDER_SIGNED", "vom akkreditierten Diensteanbieter signiert / signed by the accredited provider"
                    + " (De-Mail confirmation)",
            "INTERMEDIARY_SIGNED", "vom Intermediär signiert / signed by the intermediary (OSCI Laufzettel,"
                    + " the process card)",
            "RECIPIENT_SIGNED", "vom Empfänger signiert / signed by the recipient (signed receipt, signed MDN, eEB)",
            "UNAUTHENTICATED", "nicht authentisiert / not authenticated: the peer's statement only (plain MDN,"
                    + " plain HTTP answer)");

    private static final Map<String, String> EVENT_GLOSS = Map.of(
            "SubmissionAcceptance", "Einlieferung angenommen",
            "DispatchAttempt", "Zustellversuch begonnen",
            "RelayAcceptance", "Weiterleitung angenommen",
            "RelayFailure", "Weiterleitung fehlgeschlagen",
            "DeliveryAcceptance", "im Postfach des Empfängers",
            "DeliveryNonAcceptance", "nicht zugestellt",
            "Retrieval", "vom Empfänger abgeholt",
            "RetrievalExpiry", "Abholbestätigung nicht fristgerecht",
            "Receipt", "empfangen",
            "Resubmission", "vom Betrieb erneut gesendet");

    private ProofOfDeliveryReport() {
    }

    /** Writes the PDF to {@code out}, which stays open. */
    static void render(MessageView message, List<BundleEntry> evidence, boolean certificates, Instant createdAt,
                       OutputStream out) throws IOException {
        try (ReportLayout pdf = new ReportLayout(TITLE + " " + message.id())) {
            pdf.title(TITLE);
            pdf.text("Erstellt / Created " + time(createdAt) + " by the Amtsbote gateway from the evidence documents"
                    + " in this bundle.");

            pdf.heading("Nachricht / Message");
            pdf.field("Nachrichten-ID / Message id", message.id());
            pdf.field("Absender / Sender", message.sender());
            pdf.field("Betreff / Subject", message.subject());
            pdf.field("Aktenzeichen / Reference", message.reference());
            pdf.field("Eingereicht / Submitted", time(message.acceptedAt()));
            pdf.field("Inhalt / Content (SHA-256)", message.contentDigest());
            pdf.field("Größe / Size", message.totalBytes() + " bytes");
            for (MessageView.AttachmentItem a : message.attachments()) {
                pdf.field("Anlage / Attachment", a.fileName() + " (" + a.mediaType() + ", " + a.size()
                        + " bytes)\nSHA-256 " + a.sha256());
            }

            List<BundleEntry> messageWide = evidence.stream().filter(e -> e.facts().deliveryId() == null).toList();
            if (!messageWide.isEmpty()) {
                pdf.heading("Nachweise zur Nachricht / Evidence of the message");
                for (BundleEntry e : messageWide) {
                    event(pdf, e);
                }
            }

            int n = 0;
            for (DeliveryView d : message.deliveries()) {
                pdf.heading("Empfänger / Recipient " + ++n + ": " + d.recipient());
                pdf.field("Kanal / Channel", d.channel());
                pdf.field("Adresse / Address", d.address());
                pdf.field("Endstatus / Final state", d.state() + " (" + time(d.updatedAt()) + ")");
                pdf.field("Versuche / Attempts", Integer.toString(d.attempts()));
                if (d.retryOf() != null) {
                    pdf.field("Wiederholung von / Retry of", d.retryOf());
                }
                if (d.lastError() != null) {
                    pdf.field("Letzter Fehler / Last error", d.lastError());
                }
                if (d.transportReference() != null) {
                    pdf.field("Transport-ID / Transport id", d.transportReference());
                }
                for (BundleEntry e : evidence) {
                    if (d.id().equals(e.facts().deliveryId())) {
                        event(pdf, e);
                    }
                }
            }

            pdf.heading("Sicherheitsniveau der Transportnachweise / Assurance of transport proofs");
            for (String level : List.of("PROVIDER_SIGNED", "INTERMEDIARY_SIGNED", "RECIPIENT_SIGNED",
                    "UNAUTHENTICATED")) {
                pdf.field(level, ASSURANCE.get(level));
            }

            pdf.heading("Offline prüfen / How to verify offline");
            pdf.text("Die Nachweisdateien sind die Urkunde; dieser Bericht gibt sie nur wieder. The evidence files are"
                    + " the record; this report only repeats them. Each is signed with the gateway's evidence key"
                    + " and names the SHA-256 of the evidence before it (PreviousEvidence), so a missing or changed"
                    + " document breaks the chain. You need the certificate of your certificate authority (ca.pem).");
            pdf.indented("./amtsbote verify-evidence evidence/*.xml --trust ca.pem");
            pdf.indented("xmlsec1 --verify --trusted-pem ca.pem evidence/01-….xml");
            pdf.indented("sha256sum evidence/*.xml   (compare with content-digests.json and with PreviousEvidence)");
            pdf.text(certificates
                    ? "certificates/evidence-chain.pem holds the certificate chain of the evidence key."
                    : "This installation has no evidence key certificate to include; see README.txt.");
            pdf.save(out, TITLE + "  ·  " + message.id());
        }
    }

    private static void event(ReportLayout pdf, BundleEntry entry) throws IOException {
        EvidenceFacts e = entry.facts();
        String gloss = EVENT_GLOSS.get(e.event());
        pdf.subheading(e.event() + (gloss == null ? "" : " (" + gloss + ")") + "  " + time(e.time()));
        if (e.issuerTime() != null) {
            pdf.field("Ausstellerzeit / Issuer time", time(e.issuerTime()));
        }
        if (e.stateTo() != null) {
            pdf.field("Zustand / State", e.stateTo());
        }
        pdf.field("Beleg / Transport proof", e.assurance() == null ? "keiner / none"
                : e.assurance() + " (" + e.proofType() + "): "
                + Objects.requireNonNullElse(ASSURANCE.get(e.assurance()), "unknown level"));
        if (e.reason() != null) {
            pdf.field("Grund / Reason", e.reason());
        }
        if (e.contentDigest() != null) {
            pdf.field("Inhalt / Content (SHA-256)", e.contentDigest());
        }
        pdf.field("Nachweis / Evidence (SHA-256)", e.sha256());
        if (e.previous() != null) {
            pdf.field("Vorheriger / Previous (SHA-256)", e.previous());
        }
        pdf.field("Datei / File", entry.file());
    }

    /** ISO 8601 in UTC, exactly as in the evidence documents, so that the report can be matched against them. */
    static String time(Instant time) {
        return time == null ? "–" : DateTimeFormatter.ISO_INSTANT.format(time);
    }
}
