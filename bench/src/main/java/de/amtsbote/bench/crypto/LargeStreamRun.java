package de.amtsbote.bench.crypto;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.DecryptedContent;
import de.amtsbote.crypto.cms.DecryptionResult;
import de.amtsbote.crypto.cms.VerificationResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * One large message through the crypto core in a JVM of its own with a small heap (the report starts it with
 * {@code -Xmx128m}): sign-then-encrypt from a file into a file, then decrypt-then-verify back to a digest. Prints one
 * JSON object with the times and the peak heap, which the report reads. A payload held in memory anywhere would end
 * this run with an OutOfMemoryError instead.
 *
 * <p>Arguments: working directory, input file (already written), key type (RSA or EC).
 */
public final class LargeStreamRun {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path input = Path.of(args[1]);
        String keyType = args[2];
        BenchPki pki = new BenchPki(keyType, dir, input);
        CmsSigner signer = CmsSigner.builder(pki.key, pki.policy).build();
        CmsEncryptor encryptor = CmsEncryptor.builder(pki.policy, pki.validator).recipient(pki.key.certificate()).build();
        CmsOpener opener = CmsOpener.builder(pki.policy, pki.validator).decryptionKeys(List.of(pki.key)).build();
        Path message = dir.resolve("amtsbote.signed-encrypted.der");
        HeapWatch heap = HeapWatch.start();

        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(input);
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(message), 1 << 16);
             OutputStream sign = signer.signEncapsulated(encryptor.encrypt(file))) {
            in.transferTo(sign);
        }
        double protectSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        VerificationResult verification;
        DecryptionResult decryption;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 1 << 16);
             DecryptedContent decrypted = opener.openEncrypted(in)) {
            verification = opener.verify(decrypted.content(), new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            decryption = decrypted.result();
        }
        double openSeconds = (System.nanoTime() - t1) / 1e9;
        heap.stop();

        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(input)) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), expected));
        }
        boolean same = MessageDigest.isEqual(digest.digest(), expected.digest());
        long bytes = Files.size(input);
        Files.delete(message);
        System.out.println(String.format(Locale.ROOT,
                "{\"bytes\":%d,\"keyType\":\"%s\",\"maxHeapMiB\":%d,\"peakHeapUsedMiB\":%.1f,"
                        + "\"signEncryptSeconds\":%.3f,\"decryptVerifySeconds\":%.3f,\"valid\":%b,\"contentIntact\":%b,"
                        + "\"signEncryptMiBps\":%.1f,\"decryptVerifyMiBps\":%.1f}",
                bytes, keyType, Runtime.getRuntime().maxMemory() >> 20, heap.peakMiB(), protectSeconds, openSeconds,
                verification.valid() && decryption.valid(), same, bytes / 1048576.0 / protectSeconds,
                bytes / 1048576.0 / openSeconds));
        if (!verification.valid() || !decryption.valid() || !same) {
            System.err.println(verification.describe() + " / " + decryption.describe());
            System.exit(1);
        }
    }

    /** The largest heap in use seen, sampled every 10 ms, plus the pools' own peaks. */
    static final class HeapWatch implements Runnable {
        private volatile boolean running = true;
        private volatile long peak;
        private final Thread thread = new Thread(this, "heap-watch");

        static HeapWatch start() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            HeapWatch w = new HeapWatch();
            w.thread.setDaemon(true);
            w.thread.start();
            return w;
        }

        @Override
        public void run() {
            while (running) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                peak = Math.max(peak, used);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        double peakMiB() {
            return peak / 1048576.0;
        }
    }
}
