package de.amtsbote.bench.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The anchor for one large message: {@code openssl cms -sign | openssl cms -encrypt} into a file, then
 * {@code openssl cms -decrypt | openssl cms -verify}, connected by the operating system's pipes, timed, with each
 * process's peak resident memory read from {@code /proc/<pid>/status} (VmHWM) while it runs.
 */
final class OpenSslLargeStream {

    record Result(double signEncryptSeconds, long signEncryptPeakRssKiB, double decryptVerifySeconds,
                  long decryptVerifyPeakRssKiB) {
    }

    static Result run(OpenSslCms.Material m, Path message) throws IOException, InterruptedException {
        List<String> sign = new ArrayList<>(List.of("openssl", "cms", "-sign", "-binary", "-nodetach", "-stream",
                "-outform", "DER", "-md", "sha256", "-in", m.input().toString(), "-signer", m.certificate().toString(),
                "-inkey", m.key().toString()));
        List<String> encrypt = new ArrayList<>(List.of("openssl", "cms", "-encrypt", "-binary", "-stream",
                "-aes-256-gcm", "-outform", "DER", "-out", message.toString(), "-recip", m.certificate().toString()));
        if (m.rsa()) {
            sign.addAll(List.of("-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"));
            encrypt.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256",
                    "-keyopt", "rsa_mgf1_md:sha256"));
        }
        long t0 = System.nanoTime();
        long rss1 = pipeline(List.of(sign, encrypt));
        double protect = (System.nanoTime() - t0) / 1e9;

        List<String> decrypt = List.of("openssl", "cms", "-decrypt", "-binary", "-inform", "DER",
                "-in", message.toString(), "-recip", m.certificate().toString(), "-inkey", m.key().toString());
        List<String> verify = List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
                "-CAfile", m.anchor().toString(), "-out", "/dev/null");
        long t1 = System.nanoTime();
        long rss2 = pipeline(List.of(decrypt, verify));
        double open = (System.nanoTime() - t1) / 1e9;
        Files.deleteIfExists(message);
        return new Result(protect, rss1, open, rss2);
    }

    /** Runs the commands as one pipeline; returns the largest peak RSS of any of its processes in KiB. */
    private static long pipeline(List<List<String>> commands) throws IOException, InterruptedException {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (List<String> c : commands) {
            builders.add(new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.PIPE));
        }
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        long[] peak = new long[processes.size()];
        while (processes.stream().anyMatch(Process::isAlive)) {
            for (int i = 0; i < processes.size(); i++) {
                peak[i] = Math.max(peak[i], vmHwmKiB(processes.get(i).pid()));
            }
            Thread.sleep(20);
        }
        long max = 0;
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", commands.get(i)) + " failed: "
                        + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            max = Math.max(max, peak[i]);
        }
        return max;
    }

    private static long vmHwmKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between the liveness check and the read: its last sample stands
            return 0;
        }
        return 0;
    }
}
