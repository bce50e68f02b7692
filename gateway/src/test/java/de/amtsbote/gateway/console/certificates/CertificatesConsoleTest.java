package de.amtsbote.gateway.console.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.gateway.certificates.CertificateInventory;
import de.amtsbote.gateway.certificates.OwnKey;
import de.amtsbote.gateway.testing.ConsoleSession;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The certificate pages over HTTP: who may read and change what, refusals that name the problem, the audit trail. */
class CertificatesConsoleTest extends CertificatesGateway {

    @Autowired
    CertificateInventory inventory;

    @Test
    void anAuditorSeesEveryPageButEveryChangeIsRefusedAndNothingChanges() throws Exception {
        String pending = generate(session(OFFICER), "amt-eins", "TLS");
        String partner = fingerprintOfKreis();
        ConsoleSession auditor = session(AUDITOR);
        for (String page : List.of("/console/certificates", "/console/certificates/keys/new",
                "/console/certificates/keys/" + pending, "/console/certificates/partners/new",
                "/console/certificates/partners/" + partner)) {
            assertThat(auditor.get(page).statusCode()).as(page).isEqualTo(200);
        }
        assertThat(auditor.get("/console/certificates/keys/" + pending + "/csr").statusCode()).isEqualTo(200);
        assertThat(auditor.get("/console/certificates/keys/" + pending).body()).as("no forms that change anything")
                .doesNotContain("/certificate\"", "/retire\"", "/rotate\"", "/revocation-check\"");
        int keys = inventory.inventory().ownKeys().size();
        long partners = count("partner_certificate");
        long checks = count("certificate_check");
        long entries = count("audit_entry");

        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/console/certificates/keys", Map.of("owner", "amt-eins", "purpose", "SIGNING", "keySpec",
                "ec:P-256", "organisation", "X"));
        posts.put("/console/certificates/keys/" + pending + "/certificate", Map.of("chain", "x"));
        posts.put("/console/certificates/keys/" + pending + "/rotate", Map.of("overlapDays", "30"));
        posts.put("/console/certificates/keys/" + pending + "/retire", Map.of("reason", "test"));
        posts.put("/console/certificates/keys/" + pending + "/revocation-check", Map.of());
        posts.put("/console/certificates/partners", Map.of("address", "smime:a@b.example", "chain", "x"));
        posts.put("/console/certificates/partners/" + partner + "/revocation-check", Map.of());
        for (Map.Entry<String, Map<String, String>> post : posts.entrySet()) {
            assertThat(auditor.post(post.getKey(), post.getValue()).statusCode()).as(post.getKey()).isEqualTo(403);
        }

        assertThat(inventory.inventory().ownKeys()).hasSize(keys);
        assertThat(inventory.key(pending).orElseThrow().state()).isEqualTo(KeyState.PENDING);
        assertThat(count("partner_certificate")).isEqualTo(partners);
        assertThat(count("certificate_check")).isEqualTo(checks);
        assertThat(jdbc.sql("select count(*) from audit_entry where seq > 0 and actor_id = :a and action not like"
                + " 'console.%'").param("a", AUDITOR).query(Long.class).single()).isZero();
        assertThat(count("audit_entry")).as("only the auditor's login").isLessThanOrEqualTo(entries + 1);
    }

    @Test
    void thePagesSpeakEnglishOnRequest() {
        ConsoleSession officer = session(OFFICER);
        assertThat(officer.get("/console/certificates?lang=en").body()).contains("Keys and certificates",
                "Own keys", "Partner certificates", "Trust anchors", "expired");
        assertThat(officer.get("/console/certificates/keys/new").body()).contains("Generate a key",
                "Certificate request data");
    }

    @Test
    void anOperatorMayNotEvenLook() {
        ConsoleSession operator = session(OPERATOR);
        for (String page : List.of("/console/certificates", "/console/certificates/keys/new",
                "/console/certificates/partners/new", "/console/certificates/keys/x/csr")) {
            assertThat(operator.get(page).statusCode()).as(page).isEqualTo(403);
        }
    }

    @Test
    void theOfficerGeneratesRequestsImportsChecksAndRetiresAKeyAndEachStepIsAudited() throws Exception {
        ConsoleSession officer = session(OFFICER);
        String id = generate(officer, "amt-eins", "SIGNING");
        assertThat(officer.get("/console/certificates/keys/" + id).body()).contains("wartet auf Zertifikat",
                "BEGIN CERTIFICATE REQUEST");

        HttpResponse<String> csr = officer.get("/console/certificates/keys/" + id + "/csr");
        assertThat(csr.statusCode()).isEqualTo(200);
        assertThat(csr.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pkcs10");
        assertThat(csr.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment").contains("filename=\"" + id + ".csr\"");
        assertThat(csr.body()).doesNotContain("PRIVATE");
        PKCS10CertificationRequest request = Pem.readCsr(new StringReader(csr.body()));
        assertThat(request.getSubject().toString()).contains("O=Test-Amt amt-eins", "CN=Poststelle");

        HttpResponse<String> imported = officer.post("/console/certificates/keys/" + id + "/certificate",
                Map.of("chain", pem(issueFor(csr.body(), CertificateProfile.SIGNING, Duration.ofDays(400)))));
        assertThat(imported.statusCode()).isEqualTo(302);
        OwnKey active = inventory.key(id).orElseThrow();
        assertThat(active.state()).isEqualTo(KeyState.ACTIVE);
        assertThat(officer.get("/console/certificates/keys/" + id).body()).contains("Zertifikat eingespielt",
                active.serial());

        assertThat(officer.post("/console/certificates/keys/" + id + "/revocation-check", Map.of()).statusCode())
                .isEqualTo(302);
        assertThat(officer.get("/console/certificates/keys/" + id).body()).as("the intermediate has no responder")
                .contains("Sperrstatus ist unbekannt");

        assertThat(officer.post("/console/certificates/keys/" + id + "/retire", Map.of("reason", "")).statusCode())
                .isEqualTo(302);
        assertThat(officer.get("/console/certificates/keys/" + id).body()).contains("INVALID_REQUEST");
        assertThat(inventory.key(id).orElseThrow().state()).as("no reason, no retirement").isEqualTo(KeyState.ACTIVE);
        officer.post("/console/certificates/keys/" + id + "/retire", Map.of("reason", "Dienststelle aufgelöst"));
        assertThat(inventory.key(id).orElseThrow().state()).isEqualTo(KeyState.RETIRED);

        for (String action : List.of("key.generate", "key.import-certificate", "certificate.revocation-check",
                "key.retire")) {
            assertThat(jdbc.sql("select count(*) from audit_entry where action = :a and actor_kind = 'PERSON'"
                            + " and actor_id = :u and subjects like :s").param("a", action).param("u", OFFICER)
                    .param("s", "%key:" + id + "%").query(Long.class).single()).as(action).isOne();
        }
        assertThat(jdbc.sql("select detail from audit_entry where action = 'key.retire' and subjects like :s")
                .param("s", "%key:" + id + "%").query(String.class).single())
                .contains("\"reason\":\"Dienststelle aufgelöst\"", "\"previousState\":\"ACTIVE\"");
    }

    @Test
    void aMalformedChainOrTheCertificateOfAnotherKeyIsShownAsANamedProblemAndChangesNothing() throws Exception {
        ConsoleSession officer = session(OFFICER);
        String id = generate(officer, "amt-zwei", "SIGNING");
        String other = generate(officer, "amt-zwei", "SIGNING");
        String otherChain = pem(issueFor(inventory.csr(other, null), CertificateProfile.SIGNING, Duration.ofDays(30)));

        HttpResponse<String> malformed = officer.post("/console/certificates/keys/" + id + "/certificate",
                Map.of("chain", "-----BEGIN CERTIFICATE-----\nkaputt\n-----END CERTIFICATE-----"));
        assertThat(malformed.statusCode()).isEqualTo(422);
        assertThat(malformed.body()).contains("id=\"import-problem\"", "role=\"alert\"", "MALFORMED_PEM",
                "keine lesbare PEM-Zertifikatskette", "aria-describedby=\"import-chain-hint import-problem\"",
                "kaputt");

        HttpResponse<String> mismatch = officer.post("/console/certificates/keys/" + id + "/certificate",
                Map.of("chain", otherChain));
        assertThat(mismatch.statusCode()).isEqualTo(422);
        assertThat(mismatch.body()).contains("KEY_MISMATCH", "gehört zu einem anderen Schlüssel");

        HttpResponse<String> withKey = officer.post("/console/certificates/keys/" + id + "/certificate",
                Map.of("chain", Pem.encode(KeyPairGenerator.getInstance("EC").generateKeyPair()
                        .getPrivate())));
        assertThat(withKey.body()).contains("PRIVATE_KEY_IN_PEM");

        assertThat(inventory.key(id).orElseThrow().state()).isEqualTo(KeyState.PENDING);
        assertThat(audited("key.import-certificate", "key:" + id)).isZero();
    }

    @Test
    void aSecondKeyWhereAnActiveOneExistsOrAnImportToAnActiveKeyIsAWrongStateNamedAsSuch() throws Exception {
        ConsoleSession officer = session(OFFICER);
        String id = generate(officer, "amt-zwei", "ENCRYPTION");
        String chain = pem(issueFor(inventory.csr(id, null), CertificateProfile.ENCRYPTION, Duration.ofDays(30)));
        officer.post("/console/certificates/keys/" + id + "/certificate", Map.of("chain", chain));

        HttpResponse<String> again = officer.post("/console/certificates/keys/" + id + "/certificate",
                Map.of("chain", chain));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("WRONG_STATE");

        officer.get("/console/certificates/keys/new");
        HttpResponse<String> second = officer.post("/console/certificates/keys", Map.of("owner", "amt-zwei",
                "purpose", "ENCRYPTION", "keySpec", "ec:P-256", "organisation", "Test-Amt Zwei", "commonName", "",
                "emails", ""));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("ACTIVE_KEY_EXISTS", "/console/certificates/keys/" + id,
                "aria-describedby=\"purpose-hint generate-problem\"");

        HttpResponse<String> unknown = officer.get("/console/certificates/keys/no-such-key");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("Kein Schlüssel no-such-key");
    }

    @Test
    void weakKeysAndBadAddressesAreRefusedOnTheGenerateForm() {
        ConsoleSession officer = session(OFFICER);
        officer.get("/console/certificates/keys/new");
        HttpResponse<String> weak = officer.post("/console/certificates/keys", Map.of("owner", "amt-drei",
                "purpose", "SIGNING", "keySpec", "rsa:2048", "organisation", "Test-Amt", "emails", ""));
        assertThat(weak.statusCode()).isEqualTo(422);
        assertThat(weak.body()).contains("POLICY_REFUSED", "aria-describedby=\"keySpec-hint generate-problem\"");

        HttpResponse<String> email = officer.post("/console/certificates/keys", Map.of("owner", "amt-drei",
                "purpose", "SIGNING", "keySpec", "ec:P-256", "organisation", "Test-Amt", "emails", "keine-adresse"));
        assertThat(email.statusCode()).isEqualTo(422);
        assertThat(email.body()).contains("INVALID_EMAIL", "keine-adresse");
    }

    @Test
    void aPartnerCertificateIsImportedOnlyIfValidForEncryptionAndItsRevocationCanBeChecked() throws Exception {
        ConsoleSession officer = session(OFFICER);
        officer.get("/console/certificates/partners/new");
        long imports = audited("partner-certificate.import", "");
        HttpResponse<String> refused = officer.post("/console/certificates/partners", Map.of(
                "address", "smime:signer@partner.example", "chain", pem(partnerCertificate("Signer",
                        "signer@partner.example", CertificateProfile.SIGNING, Duration.ofDays(100)))));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("WRONG_KEY_USAGE", "aria-describedby=\"partner-chain-hint partner-problem\"");
        assertThat(audited("partner-certificate.import", "")).isEqualTo(imports);

        HttpResponse<String> imported = officer.post("/console/certificates/partners", Map.of(
                "address", "smime:konsole@partner.example", "chain", pem(partnerCertificate("Konsole",
                        "konsole@partner.example", CertificateProfile.ENCRYPTION, Duration.ofDays(100)))));
        assertThat(imported.statusCode()).isEqualTo(302);
        String fingerprint = imported.headers().firstValue("Location").orElseThrow().replaceAll(".*/partners/", "");
        assertThat(officer.get("/console/certificates/partners/" + fingerprint).body())
                .contains("smime:konsole@partner.example", "importiert (" + OFFICER + ")");
        assertThat(jdbc.sql("select detail from audit_entry where action = 'partner-certificate.import' and"
                        + " actor_id = :u and subjects = :s").param("u", OFFICER).param("s", "certificate:" + fingerprint)
                .query(String.class).single()).contains("smime:konsole@partner.example");

        String kreis = fingerprintOfKreis();
        officer.post("/console/certificates/partners/" + kreis + "/revocation-check", Map.of());
        assertThat(officer.get("/console/certificates/partners/" + kreis).body())
                .contains("Das Zertifikat ist gesperrt", "keyCompromise");
        assertThat(audited("certificate.revocation-check", "certificate:" + kreis)).isPositive();
    }

    /** Generates a key through the form (EC P-256: quick) and returns its reference. */
    private String generate(ConsoleSession officer, String owner, String purpose) {
        officer.get("/console/certificates/keys/new");
        HttpResponse<String> r = officer.post("/console/certificates/keys", Map.of("owner", owner, "purpose", purpose,
                "keySpec", "ec:P-256", "organisation", "Test-Amt " + owner, "commonName", "Poststelle",
                "emails", "poststelle@" + owner + ".example"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return r.headers().firstValue("Location").orElseThrow().replaceAll(".*/keys/", "");
    }

    private static String fingerprintOfKreis() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(KREIS_REVOKED.getEncoded()));
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
