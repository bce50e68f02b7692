package de.amtsbote.sandbox.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} command line in a directory: an independent implementation to check against. */
final class OpenSsl {

    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "openssl exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private OpenSsl() {
    }

    static Run run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "openssl", ".out");
        Path err = Files.createTempFile(dir, "openssl", ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl did not finish in 60 s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** Runs and insists on success. */
    static Run ok(Path dir, String... args) throws IOException, InterruptedException {
        Run r = run(dir, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }
}
