package de.amtsbote.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every console text exists in German and in English, and every text a template asks for exists. */
class ConsoleTextsTest {

    private static final Path I18N = Path.of("src/main/resources/i18n");
    private static final Path TEMPLATES = Path.of("src/main/resources/templates/console");
    private static final Pattern KEY = Pattern.compile("#\\{([A-Za-z0-9_.-]+)");

    @Test
    void germanAndEnglishHaveTheSameKeysInEveryBundle() throws IOException {
        try (Stream<Path> files = Files.list(I18N)) {
            for (Path german : files.filter(f -> !f.getFileName().toString().contains("_")).toList()) {
                Path english = I18N.resolve(german.getFileName().toString().replace(".properties", "_en.properties"));
                assertThat(english).as("English bundle for " + german.getFileName()).exists();
                assertThat(load(english).stringPropertyNames()).as(english.getFileName().toString())
                        .containsExactlyInAnyOrderElementsOf(load(german).stringPropertyNames());
            }
        }
    }

    @Test
    void everyTextATemplateUsesExists() throws IOException {
        Set<String> known = new TreeSet<>();
        try (Stream<Path> files = Files.list(I18N)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().contains("_")).toList()) {
                known.addAll(load(f).stringPropertyNames());
            }
        }
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> templates = Files.walk(TEMPLATES)) {
            for (Path t : templates.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = KEY.matcher(Files.readString(t));
                while (m.find()) {
                    if (!known.contains(m.group(1))) {
                        missing.add(TEMPLATES.relativize(t) + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theDefaultBundleIsGerman() throws IOException {
        assertThat(load(I18N.resolve("console.properties")).getProperty("layout.logout")).isEqualTo("Abmelden");
        assertThat(List.of(load(I18N.resolve("console_en.properties")).getProperty("layout.logout"))).containsExactly(
                "Log out");
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
