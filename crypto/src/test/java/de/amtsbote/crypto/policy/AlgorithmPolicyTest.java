package de.amtsbote.crypto.policy;

import static de.amtsbote.crypto.policy.Algorithm.Kind.*;
import static de.amtsbote.crypto.policy.PolicyViolationException.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.pki.KeySpec;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The BSI tables as a specification: what is chosen, what is accepted flagged, what is refused and why. */
class AlgorithmPolicyTest {

    private static final Map<String, PublicKey> KEYS = new HashMap<>();
    private static final Clock NOV_2026 = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    private final AlgorithmPolicy policy = AlgorithmPolicy.builder().clock(NOV_2026).build();

    @BeforeAll
    static void keys() throws GeneralSecurityException {
        for (KeySpec s : new KeySpec[] {KeySpec.rsa(3072), KeySpec.rsa(2048), KeySpec.rsa(1024),
                KeySpec.ec("brainpoolP256r1"), KeySpec.ec("brainpoolP384r1"), KeySpec.ec("P-256"), KeySpec.ec("P-384"),
                KeySpec.ec("P-521"), KeySpec.ec("P-224"), KeySpec.ec("brainpoolP320r1"), KeySpec.ec("secp256k1")}) {
            KeyPair kp = s.generate();
            KEYS.put(s.toString(), kp.getPublic());
        }
    }

    private static PublicKey key(String name) {
        return KEYS.get(name);
    }

    @Nested
    class ForNewMessages {

        @Test
        void signsWithRsaPssAndSha256ForRsaKeys() throws Exception {
            SignatureSpec spec = policy.signatureFor(key("RSA-3072"), null);
            assertThat(spec.scheme()).isEqualTo(Algorithm.RSASSA_PSS);
            assertThat(spec.digest()).isEqualTo(Algorithm.SHA256);
            assertThat(spec.flag()).isNull();
        }

        @Test
        void signsWithEcdsaAndADigestMatchingTheCurve() throws Exception {
            assertThat(policy.signatureFor(key("EC brainpoolP256r1"), null)).isEqualTo(
                    new SignatureSpec(Algorithm.ECDSA, Algorithm.SHA256, null));
            assertThat(policy.signatureFor(key("EC P-384"), null).digest()).isEqualTo(Algorithm.SHA384);
            assertThat(policy.signatureFor(key("EC P-521"), null).digest()).isEqualTo(Algorithm.SHA512);
        }

        @Test
        void encryptsWithAes256GcmAndOaepForRsaRecipients() throws Exception {
            EncryptionSpec spec = policy.encryptionFor(key("RSA-3072"), "smime:poststelle@viernheim.example");
            assertThat(spec.content()).isEqualTo(Algorithm.AES256_GCM);
            assertThat(spec.keyManagement()).isEqualTo(Algorithm.RSAES_OAEP);
            assertThat(spec.kdfDigest()).isEqualTo(Algorithm.SHA256);
            assertThat(spec.authenticated()).isTrue();
            assertThat(spec.flag()).isNull();
        }

        @Test
        void encryptsWithEcdhAndAes256WrapForEcRecipients() throws Exception {
            EncryptionSpec spec = policy.encryptionFor(key("EC brainpoolP384r1"), null);
            assertThat(spec.keyManagement()).isEqualTo(Algorithm.ECDH_ES);
            assertThat(spec.keyWrap()).isEqualTo(Algorithm.AES256_WRAP);
            assertThat(spec.kdfDigest()).isEqualTo(Algorithm.SHA384);
        }

        @Test
        void refusesRsa2048RecipientsForNewMessages() {
            assertThatThrownBy(() -> policy.encryptionFor(key("RSA-2048"), "smime:alt@example.org"))
                    .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(KEY_TOO_SHORT);
                        assertThat(e.getMessage()).contains("2048").contains("smime:alt@example.org").contains("3072");
                    });
        }

        @Test
        void refusesLegacyAlgorithmsWithoutAPeerException() {
            assertThatThrownBy(() -> policy.checkForNewMessage(CONTENT_ENCRYPTION, Algorithm.AES256_CBC, "partner"))
                    .isInstanceOfSatisfying(PolicyViolationException.class,
                            e -> assertThat(e.reason()).isEqualTo(LEGACY_NOT_FOR_NEW_MESSAGES));
            assertThatThrownBy(() -> policy.checkForNewMessage(SIGNATURE, Algorithm.RSA_PKCS1_V15_SIGNATURE, null))
                    .isInstanceOfSatisfying(PolicyViolationException.class,
                            e -> assertThat(e.reason()).isEqualTo(LEGACY_NOT_FOR_NEW_MESSAGES));
        }

        @Test
        void allowsTheRecommendedAlgorithmsCleanly() throws Exception {
            assertThat(policy.checkForNewMessage(CONTENT_ENCRYPTION, Algorithm.AES128_GCM, null).flagged()).isFalse();
            assertThat(policy.checkForNewMessage(DIGEST, Algorithm.SHA3_256, null).flagged()).isFalse();
            assertThat(policy.checkForNewMessage(KEY_TRANSPORT, Algorithm.RSAES_OAEP, null).flagged()).isFalse();
        }
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @EnumSource(value = Algorithm.class, names = {"MD5", "SHA1", "SHA224"})
        void refusesWeakDigestsInboundAndForNewMessages(Algorithm digest) {
            assertThatThrownBy(() -> policy.checkInbound(DIGEST, digest))
                    .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ALGORITHM_REFUSED);
                        assertThat(e.getMessage()).startsWith(digest.displayName() + " is refused").contains("BSI");
                    });
            assertThatThrownBy(() -> policy.checkForNewMessage(DIGEST, digest, null))
                    .isInstanceOfSatisfying(PolicyViolationException.class,
                            e -> assertThat(e.reason()).isEqualTo(ALGORITHM_REFUSED));
        }

        @ParameterizedTest
        @EnumSource(value = Algorithm.class, names = {"DES_EDE3_CBC", "RC2_CBC", "DES_CBC"})
        void refusesOldContentCiphers(Algorithm cipher) {
            assertThatThrownBy(() -> policy.checkInbound(CONTENT_ENCRYPTION, cipher))
                    .isInstanceOfSatisfying(PolicyViolationException.class,
                            e -> assertThat(e.reason()).isEqualTo(ALGORITHM_REFUSED));
        }

        @Test
        void refusesDsaAndTheSha1KdfAndTheTripleDesKeyWrap() {
            assertThatThrownBy(() -> policy.checkInbound(SIGNATURE, Algorithm.DSA))
                    .hasFieldOrPropertyWithValue("reason", ALGORITHM_REFUSED);
            assertThatThrownBy(() -> policy.checkInbound(KEY_AGREEMENT, Algorithm.ECDH_ES_SHA1_KDF))
                    .hasFieldOrPropertyWithValue("reason", ALGORITHM_REFUSED);
            assertThatThrownBy(() -> policy.checkInbound(KEY_WRAP, Algorithm.DES_EDE3_WRAP))
                    .hasFieldOrPropertyWithValue("reason", ALGORITHM_REFUSED);
        }

        @Test
        void refusesUnknownObjectIdentifiersAndUris() {
            assertThatThrownBy(() -> policy.checkInboundOid(CONTENT_ENCRYPTION, "1.2.3.4.5"))
                    .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(UNKNOWN_ALGORITHM);
                        assertThat(e.getMessage()).contains("1.2.3.4.5");
                    });
            assertThatThrownBy(() -> policy.checkInboundXmlUri(SIGNATURE, "http://example.org/my-own-signature"))
                    .hasFieldOrPropertyWithValue("reason", UNKNOWN_ALGORITHM);
        }

        @Test
        void refusesAnAlgorithmOfferedForTheWrongUse() {
            assertThatThrownBy(() -> policy.checkInbound(CONTENT_ENCRYPTION, Algorithm.SHA256))
                    .hasFieldOrPropertyWithValue("reason", WRONG_KIND);
        }

        @Test
        void refusesShortRsaKeysEvenInbound() {
            assertThatThrownBy(() -> policy.checkInboundKey(key("RSA-1024")))
                    .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(KEY_TOO_SHORT);
                        assertThat(e.subject()).isEqualTo("RSA 1024 bit");
                    });
        }

        @Test
        void refusesRsa2048ForNewKeys() {
            assertThatThrownBy(() -> policy.requireNewKey(key("RSA-2048")))
                    .hasFieldOrPropertyWithValue("reason", KEY_TOO_SHORT);
        }

        @Test
        void refusesCurvesBelow250BitsAndUnlistedCurves() {
            assertThatThrownBy(() -> policy.checkInboundKey(key("EC P-224")))
                    .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(KEY_TOO_SHORT);
                        assertThat(e.subject()).isEqualTo("P-224");
                    });
            assertThatThrownBy(() -> policy.checkInboundKey(key("EC secp256k1")))
                    .hasFieldOrPropertyWithValue("reason", CURVE_NOT_ALLOWED);
        }

        @Test
        void refusesBrainpoolP320r1ForNewKeysButFlagsItInbound() throws Exception {
            assertThatThrownBy(() -> policy.requireNewKey(key("EC brainpoolP320r1")))
                    .hasFieldOrPropertyWithValue("reason", CURVE_NOT_ALLOWED);
            assertThat(policy.checkInboundKey(key("EC brainpoolP320r1")).flagged()).isTrue();
        }

        @Test
        void refusesShortSymmetricKeysAndNonAesKeys() {
            assertThatThrownBy(() -> policy.checkSecretKey(new SecretKeySpec(new byte[8], "AES")))
                    .hasFieldOrPropertyWithValue("reason", KEY_TOO_SHORT);
            assertThatThrownBy(() -> policy.checkSecretKey(new SecretKeySpec(new byte[24], "DESede")))
                    .hasFieldOrPropertyWithValue("reason", KEY_TYPE_NOT_ALLOWED);
        }
    }

    @Nested
    class LegacyInbound {

        @ParameterizedTest
        @EnumSource(value = Algorithm.class, names = {"RSA_PKCS1_V15_SIGNATURE", "RSA_PKCS1_V15_KEY_TRANSPORT",
                "AES128_CBC", "AES256_CBC", "CHACHA20_POLY1305", "ED25519"})
        void acceptsLegacyInboundButFlagsIt(Algorithm legacy) throws Exception {
            Decision d = policy.checkInbound(legacy.kind(), legacy);
            assertThat(d.status()).isEqualTo(Status.LEGACY_INBOUND);
            assertThat(d.flag()).contains(legacy.displayName()).contains("legacy");
        }

        @Test
        void acceptsRsa2048SignersInboundFlagged() throws Exception {
            Decision d = policy.checkInboundKey(key("RSA-2048"));
            assertThat(d.flagged()).isTrue();
            assertThat(d.subject()).isEqualTo("RSA 2048 bit");
        }

        @Test
        void strictInstallationsRefuseLegacyInbound() {
            AlgorithmPolicy strict = AlgorithmPolicy.builder().refuseLegacyInbound().build();
            assertThatThrownBy(() -> strict.checkInbound(SIGNATURE, Algorithm.RSA_PKCS1_V15_SIGNATURE))
                    .hasFieldOrPropertyWithValue("reason", LEGACY_REFUSED_INBOUND);
            assertThatThrownBy(() -> strict.checkInboundKey(key("RSA-2048")))
                    .hasFieldOrPropertyWithValue("reason", LEGACY_REFUSED_INBOUND);
        }

        @Test
        void readsRsaEncryptionOidAsSignatureOrKeyTransportByKind() throws Exception {
            assertThat(policy.checkInboundOid(SIGNATURE, "1.2.840.113549.1.1.1").subject())
                    .isEqualTo("RSA PKCS#1 v1.5 signature");
            assertThat(policy.checkInboundOid(KEY_TRANSPORT, "1.2.840.113549.1.1.1").subject())
                    .isEqualTo("RSA PKCS#1 v1.5 key transport");
        }
    }

    @Nested
    class PeerExceptions {

        private final PeerException cbc = new PeerException("smime:poststelle@altamt.example", Algorithm.AES256_CBC,
                "Ticket 4711: partner's client reads GCM from 2027-03", LocalDate.of(2027, 3, 31));

        @Test
        void allowCbcForThatPeerOnlyAndFlagIt() throws Exception {
            AlgorithmPolicy p = AlgorithmPolicy.builder().clock(NOV_2026).peerException(cbc).build();
            EncryptionSpec forPeer = p.encryptionFor(key("RSA-3072"), "smime:poststelle@altamt.example");
            assertThat(forPeer.content()).isEqualTo(Algorithm.AES256_CBC);
            assertThat(forPeer.authenticated()).isFalse();
            assertThat(forPeer.flag()).contains("peer exception").contains("Ticket 4711");
            assertThat(p.encryptionFor(key("RSA-3072"), "smime:other@example.org").content())
                    .isEqualTo(Algorithm.AES256_GCM);
        }

        @Test
        void endOnTheirLastDay() throws Exception {
            Clock april2027 = Clock.fixed(Instant.parse("2027-04-01T00:00:00Z"), ZoneOffset.UTC);
            AlgorithmPolicy p = AlgorithmPolicy.builder().clock(april2027).peerException(cbc).build();
            assertThat(p.encryptionFor(key("RSA-3072"), "smime:poststelle@altamt.example").content())
                    .isEqualTo(Algorithm.AES256_GCM);
            assertThatThrownBy(() -> p.checkForNewMessage(CONTENT_ENCRYPTION, Algorithm.AES256_CBC,
                    "smime:poststelle@altamt.example")).hasFieldOrPropertyWithValue("reason", LEGACY_NOT_FOR_NEW_MESSAGES);
        }

        @Test
        void allowPkcs1SignaturesForThatPeer() throws Exception {
            AlgorithmPolicy p = AlgorithmPolicy.builder().clock(NOV_2026).peerException(new PeerException("old-court",
                    Algorithm.RSA_PKCS1_V15_SIGNATURE, "verifier cannot read PSS", LocalDate.of(2027, 1, 1))).build();
            assertThat(p.signatureFor(key("RSA-3072"), "old-court").scheme()).isEqualTo(Algorithm.RSA_PKCS1_V15_SIGNATURE);
            assertThat(p.signatureFor(key("RSA-3072"), "someone-else").scheme()).isEqualTo(Algorithm.RSASSA_PSS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"SHA1", "DES_EDE3_CBC", "RC2_CBC", "MD5"})
        void cannotExceptRefusedAlgorithms(String name) {
            Algorithm refused = Algorithm.valueOf(name);
            assertThatThrownBy(() -> AlgorithmPolicy.builder().peerException(
                    new PeerException("peer", refused, "please", LocalDate.of(2030, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only legacy algorithms can be excepted");
        }

        @Test
        void needAWrittenReason() {
            assertThatThrownBy(() -> new PeerException("peer", Algorithm.AES128_CBC, " ", LocalDate.of(2027, 1, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("written reason");
        }
    }

    @Test
    void hasARowWithASourceForEveryAlgorithm() {
        assertThat(policy.table()).extracting(PolicyEntry::subject)
                .containsAll(Arrays.stream(Algorithm.values()).map(Algorithm::displayName).toList())
                .contains("brainpoolP256r1", "P-224", "RSA < 2048 bit");
        assertThat(policy.table()).allSatisfy(row -> assertThat(row.source()).containsPattern("BSI|RFC"));
    }
}
