package de.amtsbote.crypto.keys;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SoftHSM2 for the PKCS#11 tests, set up once per test JVM: a configuration file at the path surefire gives in
 * {@code SOFTHSM2_CONF} (SoftHSM reads the variable when the library loads, so it cannot be set from inside the JVM),
 * a fresh token directory, and the tokens the tests use, all initialised with {@code softhsm2-util} before SunPKCS11
 * loads the library (SoftHSM does not see tokens initialised after that).
 *
 * <p>Where SoftHSM2 is missing the tests are skipped with a message naming what is missing, unless
 * {@code AMTSBOTE_REQUIRE_SOFTHSM=1} (as in CI), which turns the skip into a failure.
 */
final class SoftHsm {

    /** The token the tests generate keys in. */
    static final String MAIN_TOKEN = "amtsbote-main";
    /** A token nobody logs in to successfully, for the wrong-PIN test (PKCS#11 login is per process). */
    static final String PIN_CHECK_TOKEN = "amtsbote-pin-check";
    static final String PIN = "test-user-pin-4711";
    private static final String SO_PIN = "test-so-pin-0815";

    private static final List<Path> LIBRARIES = List.of(
            Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib64/pkcs11/libsofthsm2.so"),
            Path.of("/usr/local/lib/softhsm/libsofthsm2.so"),
            Path.of("/opt/homebrew/lib/softhsm/libsofthsm2.so"));

    private static SoftHsm instance;
    private static String missing;

    final Path library;
    private final Path configuration;
    private final Map<String, Integer> slots;
    private final List<String> slotOrder;

    private SoftHsm(Path library, Path configuration, String slotListing) {
        this.library = library;
        this.configuration = configuration;
        this.slots = slots(slotListing);
        this.slotOrder = slotListing.lines().map(String::trim).filter(l -> l.startsWith("Label:"))
                .map(l -> l.substring(6).trim()).toList();
    }

    /** The SoftHSM of this JVM; skips (or, in CI, fails) the calling test where there is none. */
    static synchronized SoftHsm require() {
        if (instance == null && missing == null) {
            try {
                instance = start();
            } catch (IOException | InterruptedException e) {
                missing = "SoftHSM2 could not be set up: " + e;
            }
        }
        if (missing != null) {
            if ("1".equals(System.getenv("AMTSBOTE_REQUIRE_SOFTHSM"))) {
                fail(missing + " — AMTSBOTE_REQUIRE_SOFTHSM=1 requires the PKCS#11 tests to run");
            }
            Assumptions.abort(missing + " — PKCS#11 tests skipped (set AMTSBOTE_REQUIRE_SOFTHSM=1 to fail instead)");
        }
        return instance;
    }

    /** A PIN file for {@link SecretSource#file}. */
    static SecretSource pinFile(Path dir, String pin) throws IOException {
        Path file = Files.createTempFile(dir, "pin-", ".txt");
        Files.writeString(file, pin + "\n");
        return SecretSource.file(file);
    }

    Pkcs11Config config(String token) {
        return Pkcs11Config.slot(token, library, slots.get(token));
    }

    /** The token by its index in the module's slot list, in the order {@code softhsm2-util} lists the slots. */
    Pkcs11Config configByIndex(String token) {
        return Pkcs11Config.slotListIndex(token, library, slotOrder.indexOf(token));
    }

    /**
     * {@code pkcs11-tool} (OpenSC) on a token, logged in: an independent view of what the token holds. Skips (in CI:
     * fails) the calling test where OpenSC is not installed.
     */
    String pkcs11Tool(String token, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", library.toString(), "--slot",
                String.valueOf(slots.get(token)), "--login", "--pin", PIN));
        command.addAll(List.of(arguments));
        try {
            new ProcessBuilder("pkcs11-tool", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            String why = "pkcs11-tool (Debian package opensc) is not installed";
            if ("1".equals(System.getenv("AMTSBOTE_REQUIRE_SOFTHSM"))) {
                fail(why + " — AMTSBOTE_REQUIRE_SOFTHSM=1 requires it");
            }
            Assumptions.abort(why);
        }
        return run(command, configuration);
    }

    private static SoftHsm start() throws IOException, InterruptedException {
        String override = System.getenv("AMTSBOTE_SOFTHSM_LIBRARY");
        Path library = override != null ? Path.of(override)
                : LIBRARIES.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        if (library == null || !Files.isRegularFile(library)) {
            missing = "the SoftHSM2 library libsofthsm2.so was not found (looked at "
                    + (override != null ? override : LIBRARIES) + "; Debian: apt-get install softhsm2)";
            return null;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            missing = "SOFTHSM2_CONF is not set (surefire sets it; run the tests through Maven)";
            return null;
        }
        Path configuration = Path.of(conf).toAbsolutePath();
        Path base = configuration.getParent();
        Files.createDirectories(base);
        try (Stream<Path> old = Files.list(base)) {
            for (Path dir : old.filter(p -> p.getFileName().toString().startsWith("tokens-")).toList()) {
                deleteTree(dir);
            }
        }
        Path tokens = Files.createTempDirectory(base, "tokens-");
        Files.writeString(configuration, "directories.tokendir = " + tokens + "\n"
                + "objectstore.backend = file\n"
                + "log.level = ERROR\n"
                + "slots.removable = false\n", StandardCharsets.UTF_8);
        try {
            for (String label : List.of(MAIN_TOKEN, PIN_CHECK_TOKEN)) {
                run(List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin",
                        SO_PIN), configuration);
            }
        } catch (IOException e) {
            missing = "softhsm2-util could not be run (" + e.getMessage() + "; Debian: apt-get install softhsm2)";
            return null;
        }
        return new SoftHsm(library, configuration, run(List.of("softhsm2-util", "--show-slots"), configuration));
    }

    /** Slot id by token label, from {@code softhsm2-util --show-slots}. */
    private static Map<String, Integer> slots(String listing) {
        Map<String, Integer> slots = new HashMap<>();
        Integer slot = null;
        for (String line : listing.split("\n")) {
            String t = line.trim();
            if (t.matches("Slot \\d+")) {
                slot = Integer.valueOf(t.substring(5));
            } else if (t.startsWith("Label:") && slot != null && !t.substring(6).isBlank()) {
                slots.put(t.substring(6).trim(), slot);
            }
        }
        return slots;
    }

    private static String run(List<String> command, Path configuration) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", configuration.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within 60 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 2)) + " failed (" + process.exitValue() + "): "
                    + text);
        }
        return text;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
