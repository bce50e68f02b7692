package de.amtsbote.bench.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's ceiling: {@code openssl speed} for the primitives under the CMS operations (RSA-3072 and P-256
 * private and public operations, ECDH, AES-256-GCM and SHA-256 throughput), measured in the same run. A CMS
 * operation on a small message cannot be faster than its private-key operation, nor one on a large message faster
 * than its bulk cipher or digest.
 */
final class OpenSslSpeed {

    private static final Pattern RSA = Pattern.compile("rsa 3072 bits\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)");
    private static final Pattern ECDSA = Pattern.compile("256 bits ecdsa \\(nistp256\\)\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)");
    private static final Pattern ECDH = Pattern.compile("256 bits ecdh \\(nistp256\\)\\s+\\S+\\s+([0-9.]+)");
    private static final Pattern BULK = Pattern.compile("(?m)^(AES-256-GCM|sha256)\\s+([0-9.]+)k");

    private OpenSslSpeed() {
    }

    /** Name → rate: operations per second for key operations, MiB/s for bulk ones. */
    static Map<String, Double> measure(int seconds) throws IOException, InterruptedException {
        Map<String, Double> rates = new LinkedHashMap<>();
        String keys = run(List.of("openssl", "speed", "-seconds", Integer.toString(seconds), "rsa3072", "ecdsap256",
                "ecdhp256"));
        Matcher m = RSA.matcher(keys);
        if (m.find()) {
            rates.put("RSA-3072 private operation (sign, decrypt) /s", Double.parseDouble(m.group(1)));
            rates.put("RSA-3072 public operation (verify, encrypt) /s", Double.parseDouble(m.group(2)));
        }
        m = ECDSA.matcher(keys);
        if (m.find()) {
            rates.put("ECDSA P-256 sign /s", Double.parseDouble(m.group(1)));
            rates.put("ECDSA P-256 verify /s", Double.parseDouble(m.group(2)));
        }
        m = ECDH.matcher(keys);
        if (m.find()) {
            rates.put("ECDH P-256 /s", Double.parseDouble(m.group(1)));
        }
        for (String evp : List.of("aes-256-gcm", "sha256")) {
            String bulk = run(List.of("openssl", "speed", "-seconds", Integer.toString(seconds), "-evp", evp, "-bytes",
                    "16384"));
            Matcher b = BULK.matcher(bulk);
            if (b.find()) {
                rates.put(b.group(1) + " MiB/s", Double.parseDouble(b.group(2)) * 1000 / 1048576);
            }
        }
        if (rates.size() != 7) {
            throw new IOException("could not read every rate from openssl speed: " + rates.keySet());
        }
        return rates;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
