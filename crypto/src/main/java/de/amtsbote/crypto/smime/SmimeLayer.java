package de.amtsbote.crypto.smime;

import de.amtsbote.crypto.cms.DecryptionResult;
import de.amtsbote.crypto.cms.VerificationResult;

/**
 * One S/MIME layer of a message, outermost first: signed (whom by, which check failed) or encrypted (for which of our
 * keys, with which algorithms).
 *
 * @param depth        1 for the outermost layer
 * @param kind         what the layer is
 * @param verification for signed layers, the verification result (null if the layer could not be finished)
 * @param decryption   for encrypted layers, the decryption result (null if the layer could not be finished)
 * @param problem      why the layer could not be finished (a broken multipart/signed, an enclosing layer that failed
 *                     while this one was read), or null
 */
public record SmimeLayer(int depth, Kind kind, VerificationResult verification, DecryptionResult decryption,
                         String problem) {

    /** The kinds of S/MIME layers. */
    public enum Kind {
        /** application/pkcs7-mime; smime-type=signed-data (opaque signature). */
        SIGNED,
        /** multipart/signed with application/pkcs7-signature (clear signature). */
        CLEAR_SIGNED,
        /** application/pkcs7-mime; smime-type=authEnveloped-data or enveloped-data. */
        ENCRYPTED
    }

    public boolean valid() {
        if (problem != null) {
            return false;
        }
        return kind == Kind.ENCRYPTED ? decryption != null && decryption.valid()
                : verification != null && verification.valid();
    }

    public boolean signed() {
        return kind != Kind.ENCRYPTED;
    }

    /** One line for a person: "layer 1, encrypted: decrypted with key ..." / "layer 2, signed: signer 1 (...)". */
    public String describe() {
        String what = "layer " + depth + ", " + kind.name().toLowerCase().replace('_', '-') + ": ";
        if (problem != null) {
            return what + problem;
        }
        return what + (kind == Kind.ENCRYPTED ? decryption.describe() : verification.describe().replace("\n", "; "));
    }
}
