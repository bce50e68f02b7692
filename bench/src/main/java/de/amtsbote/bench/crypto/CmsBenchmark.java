package de.amtsbote.bench.crypto;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.DecryptionResult;
import de.amtsbote.crypto.cms.VerificationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The four CMS operations of the crypto core on one thread, streamed from and to files as the gateway does (content
 * from the content store, output to a transport), on the same inputs the OpenSSL anchor uses: SignedData with
 * RSASSA-PSS or ECDSA, AuthEnvelopedData with AES-256-GCM and RSA-OAEP or ECDH-ES, as the policy chooses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CmsBenchmark {

    @Param({"10240", "10485760"})
    public int size;

    @Param({"RSA", "EC"})
    public String keyType;

    private Path dir;
    private Path input;
    private Path signed;
    private Path encrypted;
    private CmsSigner signer;
    private CmsEncryptor encryptor;
    private CmsOpener opener;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("amtsbote-bench-cms");
        input = dir.resolve("input.bin");
        RandomContent.write(input, size, 42);
        BenchPki pki = new BenchPki(keyType, dir, input);
        signer = CmsSigner.builder(pki.key, pki.policy).build();
        encryptor = CmsEncryptor.builder(pki.policy, pki.validator).recipient(pki.key.certificate()).build();
        opener = CmsOpener.builder(pki.policy, pki.validator).decryptionKeys(List.of(pki.key)).build();
        signed = dir.resolve("signed.der");
        encrypted = dir.resolve("encrypted.der");
        try (OutputStream out = Files.newOutputStream(signed)) {
            copy(input, signer.signEncapsulated(out));
        }
        try (OutputStream out = Files.newOutputStream(encrypted)) {
            copy(input, encryptor.encrypt(out));
        }
        if (!verify().valid() || !decrypt().valid()) {
            throw new IllegalStateException("the benchmark's own messages do not open");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public void sign() throws IOException {
        copy(input, signer.signEncapsulated(OutputStream.nullOutputStream()));
    }

    @Benchmark
    public VerificationResult verify() throws IOException {
        try (InputStream in = Files.newInputStream(signed)) {
            return opener.verify(in, OutputStream.nullOutputStream());
        }
    }

    @Benchmark
    public void encrypt() throws IOException {
        copy(input, encryptor.encrypt(OutputStream.nullOutputStream()));
    }

    @Benchmark
    public DecryptionResult decrypt() throws IOException {
        try (InputStream in = Files.newInputStream(encrypted)) {
            return opener.decrypt(in, OutputStream.nullOutputStream());
        }
    }

    /** Streams a file into a CMS stream and closes it, which writes the signature or the tag. */
    private static void copy(Path from, OutputStream to) throws IOException {
        try (InputStream in = Files.newInputStream(from); to) {
            in.transferTo(to);
        }
    }
}
