package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.keys.KeyVaultException.Reason;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Checks how a PKCS#12 file protects its keys, from its structure (no password needed): every key bag encrypted with
 * PBES2 (PBKDF2 with HMAC-SHA-256 or stronger, AES-256-CBC), and the file's integrity MAC over SHA-256 or stronger,
 * each with at least {@value #MIN_ITERATIONS} iterations. The JDK writes this by default since 17 (JDK-8153005), but a
 * {@code keystore.pkcs12.legacy} property or an old file brings back SHA-1 and 3DES/RC2; this refuses them.
 */
final class Pkcs12Protection {

    /** The JDK's default iteration count for PBKDF2 and the MAC; the floor for files Amtsbote reads and writes. */
    static final int MIN_ITERATIONS = 10_000;

    private static final Set<ASN1ObjectIdentifier> STRONG_DIGESTS = Set.of(NISTObjectIdentifiers.id_sha256,
            NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
    private static final Set<ASN1ObjectIdentifier> STRONG_PRFS = Set.of(PKCSObjectIdentifiers.id_hmacWithSHA256,
            PKCSObjectIdentifiers.id_hmacWithSHA384, PKCSObjectIdentifiers.id_hmacWithSHA512);

    private Pkcs12Protection() {
    }

    static void check(byte[] pkcs12, String what) throws KeyVaultException {
        Pfx pfx;
        try {
            pfx = Pfx.getInstance(pkcs12);
        } catch (IllegalArgumentException e) {
            throw new KeyVaultException(Reason.STORE_FAILURE, what + " is not a PKCS#12 file: " + e.getMessage(), e);
        }
        MacData mac = pfx.getMacData();
        if (mac == null) {
            throw weak(what, "has no integrity MAC");
        }
        ASN1ObjectIdentifier macDigest = mac.getMac().getAlgorithmId().getAlgorithm();
        if (!STRONG_DIGESTS.contains(macDigest) || mac.getIterationCount().intValueExact() < MIN_ITERATIONS) {
            throw weak(what, "has an integrity MAC over " + macDigest + " with " + mac.getIterationCount()
                    + " iterations");
        }
        ContentInfo authSafe = pfx.getAuthSafe();
        AuthenticatedSafe safe = AuthenticatedSafe.getInstance(
                ASN1OctetString.getInstance(authSafe.getContent()).getOctets());
        for (ContentInfo content : safe.getContentInfo()) {
            if (!content.getContentType().equals(PKCSObjectIdentifiers.data)) {
                // encrypted content (the JDK puts certificates there) cannot be read without the password
                continue;
            }
            ASN1Sequence bags = ASN1Sequence.getInstance(ASN1OctetString.getInstance(content.getContent()).getOctets());
            for (ASN1Encodable element : bags) {
                SafeBag bag = SafeBag.getInstance(element);
                if (bag.getBagId().equals(PKCSObjectIdentifiers.keyBag)) {
                    throw weak(what, "holds an unencrypted private key");
                }
                if (bag.getBagId().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)) {
                    checkKeyEncryption(EncryptedPrivateKeyInfo.getInstance(bag.getBagValue()).getEncryptionAlgorithm(),
                            what);
                }
            }
        }
    }

    private static void checkKeyEncryption(AlgorithmIdentifier algorithm, String what) throws KeyVaultException {
        if (!algorithm.getAlgorithm().equals(PKCSObjectIdentifiers.id_PBES2)) {
            throw weak(what, "encrypts a private key with " + algorithm.getAlgorithm() + " instead of PBES2");
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
        if (!pbes2.getKeyDerivationFunc().getAlgorithm().equals(PKCSObjectIdentifiers.id_PBKDF2)) {
            throw weak(what, "derives a key-encryption key with " + pbes2.getKeyDerivationFunc().getAlgorithm());
        }
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        ASN1ObjectIdentifier prf = kdf.getPrf().getAlgorithm();
        if (!STRONG_PRFS.contains(prf) || kdf.getIterationCount().intValueExact() < MIN_ITERATIONS) {
            throw weak(what, "derives a key-encryption key with PBKDF2 over " + prf + " and "
                    + kdf.getIterationCount() + " iterations");
        }
        ASN1ObjectIdentifier cipher = pbes2.getEncryptionScheme().getAlgorithm();
        if (!cipher.equals(NISTObjectIdentifiers.id_aes256_CBC)) {
            throw weak(what, "encrypts a private key with " + cipher + " instead of AES-256-CBC");
        }
    }

    private static KeyVaultException weak(String what, String detail) {
        return new KeyVaultException(Reason.WEAK_STORE_PROTECTION, what + " " + detail
                + "; Amtsbote keeps keys under AES-256 with PBKDF2-HMAC-SHA-256 and a SHA-256 MAC");
    }
}
