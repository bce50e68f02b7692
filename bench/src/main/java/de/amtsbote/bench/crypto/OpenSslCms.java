package de.amtsbote.bench.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The anchor: the same four CMS operations with the {@code openssl cms} command line on the same files, timed by
 * running the command repeatedly. Each run pays for starting a process, which dominates small inputs; that cost is
 * measured separately ({@code openssl version}) and reported, so the table can show both the raw rate and the rate
 * of the cryptography alone.
 */
final class OpenSslCms {

    /** The files one benchmark case works on: a key, its certificate, the trust anchor, an input and scratch. */
    record Material(Path certificate, Path key, Path anchor, Path input, Path signed, Path encrypted, boolean rsa) {
    }

    /** Rate of one operation: runs, seconds, and the mean time per run with and without process start. */
    record Rate(String operation, int runs, double seconds, double meanMillis, double spawnMillis) {
        double opsPerSecond() {
            return runs / seconds;
        }

        /** The rate with the cost of starting a process taken out (never below the raw rate's inverse of 0.1 ms). */
        double opsPerSecondWithoutSpawn() {
            return 1000.0 / Math.max(0.1, meanMillis - spawnMillis);
        }
    }

    private final Duration budget;
    private final int minRuns;

    OpenSslCms(Duration budget, int minRuns) {
        this.budget = budget;
        this.minRuns = minRuns;
    }

    static String version() throws IOException, InterruptedException {
        return run(List.of("openssl", "version")).trim();
    }

    /** The mean time to start {@code openssl} and have it do nothing, in milliseconds. */
    double spawnMillis() throws IOException, InterruptedException {
        return time("spawn", List.of("openssl", "version"), 0).meanMillis();
    }

    Rate sign(Material m, double spawn) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
                "-md", "sha256", "-in", m.input().toString(), "-signer", m.certificate().toString(),
                "-inkey", m.key().toString()));
        if (m.rsa()) {
            cmd.addAll(List.of("-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"));
        }
        cmd.addAll(List.of("-out", m.signed().toString()));
        return time("sign", cmd, spawn);
    }

    Rate verify(Material m, double spawn) throws IOException, InterruptedException {
        return time("verify", List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
                "-in", m.signed().toString(), "-CAfile", m.anchor().toString(), "-out", "/dev/null"), spawn);
    }

    Rate encrypt(Material m, double spawn) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "cms", "-encrypt", "-binary", "-aes-256-gcm",
                "-outform", "DER", "-in", m.input().toString(), "-recip", m.certificate().toString()));
        if (m.rsa()) {
            cmd.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256",
                    "-keyopt", "rsa_mgf1_md:sha256"));
        }
        cmd.addAll(List.of("-out", m.encrypted().toString()));
        return time("encrypt", cmd, spawn);
    }

    Rate decrypt(Material m, double spawn) throws IOException, InterruptedException {
        return time("decrypt", List.of("openssl", "cms", "-decrypt", "-binary", "-inform", "DER",
                "-in", m.encrypted().toString(), "-recip", m.certificate().toString(), "-inkey", m.key().toString(),
                "-out", "/dev/null"), spawn);
    }

    private Rate time(String name, List<String> command, double spawn) throws IOException, InterruptedException {
        run(command); // warm the page cache and fail early on a wrong command line
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        int runs = 0;
        while (runs < minRuns || System.nanoTime() < deadline) {
            run(command);
            runs++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rate(name, runs, seconds, seconds * 1000 / runs, spawn);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
