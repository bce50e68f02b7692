package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.policy.Algorithm;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.util.DigestFactory;

/**
 * RSA decryption padding checked in software around a raw private-key operation done elsewhere (in a PKCS#11 token
 * that cannot do RSAES-OAEP with SHA-2, or in Bouncy Castle). OAEP decoding is Bouncy Castle's {@link OAEPEncoding};
 * PKCS#1 v1.5 decoding is done here with implicit rejection, branch-free on the decrypted block.
 */
final class RsaDecoding {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The RSA private-key operation {@code c^d mod n}, done by whoever holds the key. */
    @FunctionalInterface
    interface RawRsa {
        byte[] apply(byte[] ciphertext) throws KeyOperationException;
    }

    private RsaDecoding() {
    }

    /**
     * RSAES-OAEP decryption (RFC 8017 7.1.2) with OAEP and MGF1 over {@code digest} and an empty label. Every padding
     * failure, including a non-zero first byte, ends in the same exception inside OAEP decoding.
     */
    static byte[] oaep(RawRsa raw, BigInteger modulus, Algorithm digest, byte[] ciphertext, String key)
            throws KeyOperationException {
        RawEngine engine = new RawEngine(raw, modulus);
        OAEPEncoding oaep = new OAEPEncoding(engine, digest(digest), digest(digest), null);
        oaep.init(false, null);
        try {
            return oaep.processBlock(ciphertext, 0, ciphertext.length);
        } catch (InvalidCipherTextException e) {
            if (engine.failure != null) {
                throw engine.failure;
            }
            // one message for every padding failure: the caller must not learn which check failed
            throw new KeyOperationException("key " + key + " could not decrypt the RSAES-OAEP content key: it was not"
                    + " encrypted to this key or is corrupted");
        }
    }

    /**
     * RSAES-PKCS1-v1_5 decryption (RFC 8017 7.2.2) with implicit rejection: a block that is not {@code 00 02 PS 00 M}
     * with eight or more non-zero padding bytes and an {@code M} of {@code expectedLength} bytes yields random bytes
     * of that length instead. The check and the choice of output do not branch on the decrypted block.
     */
    static byte[] pkcs1v15(RawRsa raw, BigInteger modulus, byte[] ciphertext, int expectedLength, String key)
            throws KeyOperationException {
        int modulusBytes = bytes(modulus);
        if (expectedLength < 1 || expectedLength > modulusBytes - 11) {
            throw new KeyOperationException("key " + key + " cannot hold a PKCS#1 v1.5 content key of "
                    + expectedLength + " bytes");
        }
        byte[] substitute = new byte[expectedLength];
        RANDOM.nextBytes(substitute);
        if (ciphertext.length != modulusBytes || !inRange(ciphertext, modulus)) {
            // length and range are public: rejecting them implicitly keeps one behaviour for every bad input
            return substitute;
        }
        byte[] block = normalised(raw.apply(ciphertext), modulusBytes, key);
        try {
            int separator = modulusBytes - expectedLength - 1;
            int good = isZero(block[0]) & isZero((block[1] & 0xff) ^ 2) & isZero(block[separator]);
            for (int i = 2; i < separator; i++) {
                good &= 1 - isZero(block[i]);
            }
            int mask = -good; // all ones when the padding is right
            byte[] result = new byte[expectedLength];
            for (int i = 0; i < expectedLength; i++) {
                result[i] = (byte) ((block[separator + 1 + i] & mask) | (substitute[i] & ~mask));
            }
            return result;
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    private static int bytes(BigInteger modulus) {
        return (modulus.bitLength() + 7) / 8;
    }

    /**
     * RSADP's first step (RFC 8017 5.1.2): the ciphertext must be smaller than the modulus. Checked here because
     * tokens answer it differently (SoftHSM with a general error), which would otherwise show as a failure other
     * than the padding's; the comparison is with the public modulus, so it tells nothing about the key.
     */
    private static boolean inRange(byte[] ciphertext, BigInteger modulus) {
        return new BigInteger(1, ciphertext).compareTo(modulus) < 0;
    }

    /** 1 if {@code b} (taken as an unsigned byte) is zero, else 0, without a branch. */
    private static int isZero(int b) {
        return ((b & 0xff) - 1) >>> 31;
    }

    /** The raw result as exactly {@code k} bytes: some tokens drop leading zero bytes. */
    private static byte[] normalised(byte[] out, int k, String key) throws KeyOperationException {
        if (out.length == k) {
            return out;
        }
        if (out.length > k) {
            throw new KeyOperationException("key " + key + ": the raw RSA operation returned " + out.length
                    + " bytes for a " + k + "-byte modulus");
        }
        byte[] padded = new byte[k];
        System.arraycopy(out, 0, padded, k - out.length, out.length);
        Arrays.fill(out, (byte) 0);
        return padded;
    }

    private static Digest digest(Algorithm digest) throws KeyOperationException {
        switch (digest) {
            case SHA1:
                // only for reading legacy RSAES-OAEP with SHA-1, which the policy flags (RSAES_OAEP_SHA1)
                return DigestFactory.createSHA1();
            case SHA256:
                return DigestFactory.createSHA256();
            case SHA384:
                return DigestFactory.createSHA384();
            case SHA512:
                return DigestFactory.createSHA512();
            case SHA3_256:
                return DigestFactory.createSHA3_256();
            case SHA3_384:
                return DigestFactory.createSHA3_384();
            case SHA3_512:
                return DigestFactory.createSHA3_512();
            default:
                throw new KeyOperationException(digest.displayName() + " is not a digest for RSAES-OAEP");
        }
    }

    /**
     * The raw operation as Bouncy Castle's engine for decryption. It answers like BC's own RSA engine: the encoded
     * message {@code EM} without its leading zero byte, {@code k - 1} bytes; when that byte is not zero it returns
     * all {@code k} bytes, which {@link OAEPEncoding} counts as a padding failure inside its constant-time check
     * rather than here.
     */
    private static final class RawEngine implements AsymmetricBlockCipher {
        private final RawRsa raw;
        private final BigInteger modulus;
        private final int k;
        KeyOperationException failure;

        RawEngine(RawRsa raw, BigInteger modulus) {
            this.raw = raw;
            this.modulus = modulus;
            this.k = bytes(modulus);
        }

        @Override
        public void init(boolean forEncryption, CipherParameters param) {
            if (forEncryption) {
                throw new IllegalArgumentException("the raw token engine only decrypts");
            }
        }

        @Override
        public int getInputBlockSize() {
            return k;
        }

        @Override
        public int getOutputBlockSize() {
            return k - 1;
        }

        @Override
        public byte[] processBlock(byte[] in, int inOff, int len) throws InvalidCipherTextException {
            byte[] ciphertext = Arrays.copyOfRange(in, inOff, inOff + len);
            if (len != k || !inRange(ciphertext, modulus)) {
                throw new InvalidCipherTextException("ciphertext does not fit the modulus");
            }
            byte[] em;
            try {
                em = normalised(raw.apply(ciphertext), k, "");
            } catch (KeyOperationException e) {
                failure = e;
                throw new InvalidCipherTextException("raw RSA failed");
            }
            if (em[0] != 0) {
                return em;
            }
            byte[] out = Arrays.copyOfRange(em, 1, k);
            Arrays.fill(em, (byte) 0);
            return out;
        }
    }
}
