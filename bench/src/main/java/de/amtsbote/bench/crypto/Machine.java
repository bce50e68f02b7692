package de.amtsbote.bench.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on, written next to them. */
public final class Machine {

    private Machine() {
    }

    /** CPU, cores, Java and operating system, for results written as objects. */
    public static java.util.Map<String, Object> facts() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("cpu", cpu());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return m;
    }

    static String json() {
        return String.format(Locale.ROOT, "{\"cpu\": \"%s\", \"cores\": %d, \"java\": \"%s %s\", \"os\": \"%s %s\"}",
                cpu(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.replaceAll("^[^:]*:\\s*", "").replace("\"", "'")).orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage().replace("\"", "'") + ")";
        }
    }
}
