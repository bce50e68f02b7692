package de.amtsbote.gateway.console.trust;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.cms.RecipientRefusedException;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.certificates.CryptoAccess;
import de.amtsbote.gateway.testing.ConsoleSession;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The trust anchor page over HTTP: what adding and removing does, what is refused and why, and who may do it. */
class TrustPageTest extends TrustGateway {

    private static final String PAGE = "/console/certificates/trust";

    @Autowired
    CertificateValidator validator;
    @Autowired
    CryptoAccess crypto;

    @Test
    void aCaAddedInTheConsoleIsTrustedAtOnceAndNoLongerOnceRemoved() throws Exception {
        Stranger stranger = Stranger.create("Landesverwaltung Musterland CA");
        var door = crypto.crypto().orElseThrow();
        assertThat(stranger.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertThat(stranger.validateWith(door.validator()).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertRecipientRefused(stranger);

        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);
        HttpResponse<String> added = officer.post(PAGE, Map.of("pem", stranger.rootPem(),
                "reason", "Vorgang 2026-17: Partnerland Musterland"));

        assertThat(added.statusCode()).isEqualTo(302);
        assertThat(added.headers().firstValue("Location").orElseThrow()).endsWith(PAGE);
        assertThat(stranger.validateWith(validator).valid()).as("the validator bean, without restart").isTrue();
        assertThat(stranger.validateWith(door.validator()).valid()).as("the crypto door of the channels").isTrue();
        assertThat(door.xmlRecipient(stranger.partner(), List.of(), "partner").certificate())
                .isEqualTo(stranger.partner());
        String page = officer.get(PAGE).body();
        assertThat(page).contains("hinzugefügt", "Landesverwaltung Musterland CA", stranger.fingerprint(),
                "Vorgang 2026-17: Partnerland Musterland", "Hinzugefügt von " + OFFICER + " (Konsole)");
        assertThat(audited("trust-anchor.add", stranger.fingerprint())).singleElement().satisfies(e -> assertThat(e)
                .startsWith("PERSON " + OFFICER + " trust-anchor:" + stranger.fingerprint())
                .contains("Vorgang 2026-17", "Landesverwaltung Musterland CA"));

        HttpResponse<String> removed = officer.post(PAGE + "/" + stranger.fingerprint() + "/remove",
                Map.of("reason", "Partnerschaft beendet"));

        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(stranger.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertThat(stranger.validateWith(door.validator()).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertRecipientRefused(stranger);
        assertThat(audited("trust-anchor.remove", stranger.fingerprint())).singleElement().satisfies(e -> assertThat(e)
                .startsWith("PERSON " + OFFICER + " trust-anchor:" + stranger.fingerprint())
                .contains("Partnerschaft beendet"));
    }

    @Test
    void aRemovedAnchorStaysInTheHistoryAndCanBeAddedAgain() {
        Stranger stranger = Stranger.create("Wiederkehrende CA");
        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);
        officer.post(PAGE, Map.of("pem", stranger.rootPem(), "reason", "erste Aufnahme"));
        officer.post(PAGE + "/" + stranger.fingerprint() + "/remove", Map.of("reason", "Schlüssel kompromittiert?"));
        officer.get(PAGE);
        assertThat(officer.post(PAGE, Map.of("pem", stranger.rootPem(), "reason", "Entwarnung")).statusCode())
                .isEqualTo(302);

        assertThat(stranger.validateWith(validator).valid()).isTrue();
        assertThat(rows("select count(*) from trust_anchor where fingerprint = '" + stranger.fingerprint() + "'"))
                .isEqualTo(2);
        String history = officer.get(PAGE).body();
        assertThat(history.substring(history.indexOf("Entfernte Vertrauensanker")))
                .contains(stranger.fingerprint(), "Schlüssel kompromittiert?", "erste Aufnahme");
    }

    @Test
    void malformedPemIsRefusedNamingTheProblemAndNothingIsStored() {
        long before = rows("select count(*) from trust_anchor");
        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);

        HttpResponse<String> r = officer.post(PAGE, Map.of("pem",
                "-----BEGIN CERTIFICATE-----\nMIIB#kaputt\n-----END CERTIFICATE-----", "reason", "Test"));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("Der Text ist kein lesbares PEM-Zertifikat", "id=\"add-error\"",
                "aria-describedby=\"pem-hint add-error\"", "MIIB#kaputt");
        assertThat(rows("select count(*) from trust_anchor")).isEqualTo(before);
        assertThat(jdbc.sql("select detail from audit_entry where action = 'trust-anchor.refused' and actor_id = :u"
                + " order by seq desc").param("u", OFFICER).query(String.class).list().get(0))
                .contains("MALFORMED_PEM");
    }

    @Test
    void anEndEntityCertificateIsRefusedAsNotACa() {
        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);
        long generation = rows("select generation from trust_anchor_generation");

        HttpResponse<String> r = officer.post(PAGE, Map.of("pem", endEntityPem(), "reason", "Test"));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("kein CA-Zertifikat (basicConstraints CA ist nicht gesetzt)",
                "is not a CA certificate");
        assertThat(rows("select generation from trust_anchor_generation")).isEqualTo(generation);
    }

    @Test
    void aChangeWithoutReasonIsRefused() {
        Stranger stranger = Stranger.create("Ohne Grund CA");
        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);

        HttpResponse<String> r = officer.post(PAGE, Map.of("pem", stranger.rootPem(), "reason", "  "));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("Bitte einen Grund angeben", "aria-describedby=\"reason-hint add-error\"");
        assertThat(stranger.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
    }

    @Test
    void theConfiguredAnchorIsNeitherAddedTwiceNorRemovableHere() {
        ConsoleSession officer = session(OFFICER);
        String page = officer.get(PAGE).body();
        assertThat(page).contains(configuredFingerprint(), ANCHOR.toString(),
                "Nur in der Konfigurationsdatei entfernbar")
                .doesNotContain("/console/certificates/trust/" + configuredFingerprint() + "/remove");

        HttpResponse<String> again = officer.post(PAGE, Map.of("pem", de.amtsbote.crypto.pki.Pem.encode(
                ROOT.certificate()), "reason", "doppelt"));
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(again.body()).contains("ist bereits Vertrauensanker (Konfigurationsdatei " + ANCHOR + ")");

        officer.get(PAGE);
        HttpResponse<String> remove = officer.post(PAGE + "/" + configuredFingerprint() + "/remove",
                Map.of("reason", "versuchsweise"));
        assertThat(remove.statusCode()).isEqualTo(422);
        assertThat(remove.body()).contains("kann nur dort entfernt werden");
        assertThat(validator.validate(CA.certificate(), List.of(), de.amtsbote.crypto.validation.CertificateUsage
                .MESSAGE_SIGNATURE, java.time.Instant.now()).reason()).isNotEqualTo(ValidationResult.Reason.UNKNOWN_CA);
    }

    @Test
    void removingAnUnknownFingerprintSaysSo() {
        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);
        String unknown = "ab".repeat(32);

        HttpResponse<String> r = officer.post(PAGE + "/" + unknown + "/remove", Map.of("reason", "weg damit"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("Kein Vertrauensanker in Kraft hat den Fingerabdruck " + unknown);
    }

    @Test
    void anAuditorSeesTheAnchorsButCannotChangeThem() {
        Stranger stranger = Stranger.create("Vom Prüfer gesehene CA");
        ConsoleSession officer = session(OFFICER);
        officer.get(PAGE);
        officer.post(PAGE, Map.of("pem", stranger.rootPem(), "reason", "für die Prüfung"));
        long anchors = rows("select count(*) from trust_anchor");
        long generation = rows("select generation from trust_anchor_generation");
        Stranger other = Stranger.create("Untergeschobene CA");

        ConsoleSession auditor = session(AUDITOR);
        HttpResponse<String> page = auditor.get(PAGE);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(stranger.fingerprint(), configuredFingerprint())
                .doesNotContain("name=\"pem\"", "class=\"trust-remove\"");

        assertThat(auditor.post(PAGE, Map.of("pem", other.rootPem(), "reason", "x")).statusCode()).isEqualTo(403);
        assertThat(auditor.post(PAGE + "/" + stranger.fingerprint() + "/remove", Map.of("reason", "x")).statusCode())
                .isEqualTo(403);

        assertThat(rows("select count(*) from trust_anchor")).isEqualTo(anchors);
        assertThat(rows("select generation from trust_anchor_generation")).isEqualTo(generation);
        assertThat(stranger.validateWith(validator).valid()).isTrue();
        assertThat(other.validateWith(validator).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertThat(rows("select count(*) from audit_entry where actor_id = '" + AUDITOR + "' and action like"
                + " 'trust-anchor.%'")).isZero();
    }

    @Test
    void anOperatorCannotOpenThePage() {
        ConsoleSession operator = session(OPERATOR);
        HttpResponse<String> r = operator.get(PAGE);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("Kein Zugriff").doesNotContain(configuredFingerprint());
        assertThat(operator.post(PAGE, Map.of("pem", Stranger.create("Betrieb CA").rootPem(), "reason", "x"))
                .statusCode()).isEqualTo(403);
    }

    @Test
    void thePageIsAlsoInEnglish() {
        ConsoleSession auditor = session(AUDITOR);
        String page = auditor.get(PAGE + "?lang=en").body();
        assertThat(page).contains("<html lang=\"en\"", "Trust anchors in force", "Configuration file",
                "certificates are accepted only if they lead to one of these trust anchors");
    }

    private void assertRecipientRefused(Stranger stranger) {
        var door = crypto.crypto().orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> door.xmlRecipient(stranger.partner(), List.of(),
                        "partner")).isInstanceOf(RecipientRefusedException.class)
                .hasMessageContaining("unknown issuer");
    }
}
