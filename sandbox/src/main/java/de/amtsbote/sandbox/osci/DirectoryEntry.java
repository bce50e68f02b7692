package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.pki.Pem;
import java.net.URI;
import java.security.cert.X509Certificate;
import tools.jackson.databind.node.ObjectNode;

/**
 * One mailbox as the directory serves it (contract section 1), with the sandbox's own knowledge: which sandbox
 * intermediary holds it and, for a played mailbox, its keys.
 */
record DirectoryEntry(String id, String name, boolean bebpo, String intermediaryName, URI intermediary,
                      X509Certificate intermediaryCertificate, Credential encryption, Credential signature,
                      Credential origin, boolean played) {

    /** The certificate a sender's origin signature must be made with: the origin certificate of a beBPo. */
    Credential originSigner() {
        return bebpo ? origin : signature;
    }

    ObjectNode json() {
        ObjectNode o = OsciLog.JSON.createObjectNode();
        o.put("id", id);
        o.put("name", name);
        o.put("bebpo", bebpo);
        o.put("intermediary", intermediary.toString());
        o.put("intermediaryCertificate", pem(intermediaryCertificate));
        o.put("encryptionCertificate", pem(encryption.certificate()));
        o.put("signatureCertificate", pem(signature.certificate()));
        if (origin == null) {
            o.putNull("originCertificate");
        } else {
            o.put("originCertificate", pem(origin.certificate()));
        }
        return o;
    }

    private static String pem(X509Certificate c) {
        return Pem.encode(c);
    }
}
