package de.amtsbote.bench.micro;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S/MIME as the mail channels write and read it (crypto.smime): sign-then-encrypt ({@code authEnveloped-data} around
 * {@code multipart/signed}, the content base64 with CRLF lines, streamed from a file), and decrypt-then-verify of such
 * a message back. The sender signs with brainpoolP256r1, as the demo's participants do; the recipient's key is
 * RSA-3072 or brainpoolP256r1. Like the gateway for each delivery, every sign-then-encrypt builds its encryptor, which
 * validates the recipient's certificate (path only: no revocation source here); every open validates the signer's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SmimeBenchmark {

    @Param({"10240", "1048576", "10485760"})
    public int size;

    @Param({"brainpoolP256r1", "RSA-3072"})
    public String recipientKey;

    private Path dir;
    private Path input;
    private Path message;
    private MicroKeys keys;
    private CmsSigner signer;
    private PrivateKeyHandle recipient;
    private SmimeOpener opener;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("amtsbote-bench-smime");
        input = dir.resolve("content.bin");
        MicroContent.write(input, size, 11);
        keys = new MicroKeys();
        signer = CmsSigner.builder(keys.key("Stadt Bad Vilbel", KeyPurpose.SIGNING, "brainpoolP256r1"), keys.policy)
                .build();
        recipient = keys.key("Kreis Bergstrasse", KeyPurpose.ENCRYPTION, recipientKey);
        opener = new SmimeOpener(CmsOpener.builder(keys.policy, keys.validator)
                .decryptionKeys(List.of(recipient)).build());
        message = dir.resolve("message.eml");
        try (OutputStream out = Files.newOutputStream(message)) {
            signThenEncrypt(out);
        }
        SmimeResult opened = decryptThenVerify();
        if (!opened.valid() || !opened.signed() || !opened.encrypted()) {
            throw new IllegalStateException("the benchmark's own message does not open: " + opened.describe());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        MicroContent.deleteTree(dir);
    }

    @Benchmark
    public void signThenEncrypt() throws IOException, de.amtsbote.crypto.CryptoException {
        signThenEncrypt(OutputStream.nullOutputStream());
    }

    @Benchmark
    public SmimeResult decryptThenVerify() throws IOException {
        try (InputStream in = Files.newInputStream(message)) {
            return opener.open(in, OutputStream.nullOutputStream());
        }
    }

    private void signThenEncrypt(OutputStream target) throws IOException, de.amtsbote.crypto.CryptoException {
        CmsEncryptor encryptor = CmsEncryptor.builder(keys.policy, keys.validator).recipient(recipient.certificate())
                .build();
        SmimeSigningStream signed = SmimeWriter.multipartSigned(SmimeWriter.encrypted(target, encryptor), signer);
        try (signed; InputStream in = Files.newInputStream(input)) {
            signed.write(("Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"bescheid.pdf\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try (OutputStream base64 = Base64.getMimeEncoder().wrap(new FilterOutputStream(signed) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the signing stream is closed by the outer try, which finishes the signature
                }
            })) {
                in.transferTo(base64);
            }
            signed.write(new byte[] {'\r', '\n'});
        }
    }
}
