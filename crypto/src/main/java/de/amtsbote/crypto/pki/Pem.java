package de.amtsbote.crypto.pki;

import de.amtsbote.crypto.Providers;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * PEM in and out: certificates, CRLs and CSRs for anyone, and unencrypted private keys only for test and sandbox
 * material (the demo's peers, whose keys are written so that anyone can check with OpenSSL what a peer received).
 * Key files are created readable by their owner only.
 */
public final class Pem {

    private Pem() {
    }

    public static String encode(Object... objects) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return s.toString();
    }

    /** Writes certificates (a chain, a trust anchor) to a PEM file. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, encode(certificates.toArray()), StandardCharsets.US_ASCII);
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        writeCertificates(file, List.of(certificate));
    }

    /**
     * Writes an unencrypted PKCS#8 private key, owner-readable only. For sandbox peers and tests; the gateway's own
     * keys live in key stores and are never written like this.
     */
    public static void writeTestPrivateKey(Path file, PrivateKey key) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        }
    }

    /** Reads every certificate in a PEM file or string. */
    public static List<X509Certificate> readCertificates(Reader reader) throws IOException, CertificateException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle());
        try (PEMParser p = new PEMParser(reader)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add(conv.getCertificate(h));
                }
            }
        }
        return certs;
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            List<X509Certificate> certs = readCertificates(r);
            if (certs.isEmpty()) {
                throw new CertificateException(file + " holds no PEM certificate");
            }
            return certs;
        }
    }

    public static X509Certificate readCertificate(String pem) throws IOException, CertificateException {
        List<X509Certificate> certs = readCertificates(new StringReader(pem));
        if (certs.isEmpty()) {
            throw new CertificateException("no PEM certificate in the text");
        }
        return certs.get(0);
    }

    /** Reads an unencrypted private key (PKCS#8 or traditional OpenSSL format): test and sandbox material only. */
    public static PrivateKey readTestPrivateKey(Path file) throws IOException {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(Providers.bouncyCastle());
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return conv.getKeyPair(pair).getPrivate();
            }
            throw new IOException(file + " holds no unencrypted private key");
        }
    }

    public static PKCS10CertificationRequest readCsr(Reader reader) throws IOException {
        try (PEMParser p = new PEMParser(reader)) {
            Object o = p.readObject();
            if (o instanceof PKCS10CertificationRequest csr) {
                return csr;
            }
            throw new IOException("no PEM certificate request (PKCS#10) in the text");
        }
    }

    public static X509CRL readCrl(Reader reader) throws IOException, java.security.GeneralSecurityException {
        try (PEMParser p = new PEMParser(reader)) {
            Object o = p.readObject();
            if (o instanceof org.bouncycastle.cert.X509CRLHolder h) {
                return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().setProvider(Providers.bouncyCastle())
                        .getCRL(h);
            }
            throw new IOException("no PEM CRL in the text");
        }
    }
}
