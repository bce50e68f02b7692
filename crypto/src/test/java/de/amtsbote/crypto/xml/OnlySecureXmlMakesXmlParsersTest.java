package de.amtsbote.crypto.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JDK's XML factories are reachable by anyone, unhardened; in this module only {@link SecureXml} may create them.
 * (The gateway enforces the same with an ArchUnit rule over its classes.)
 */
class OnlySecureXmlMakesXmlParsersTest {

    private static final Pattern FACTORY_CALL = Pattern.compile("\\b(DocumentBuilderFactory|SAXParserFactory"
            + "|XMLInputFactory|TransformerFactory|SAXTransformerFactory|SchemaFactory|XPathFactory|XMLReaderFactory)"
            + "\\s*\\.\\s*new\\w*\\s*\\(");

    @Test
    void noMainSourceButSecureXmlCreatesAnXmlFactory() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.endsWith(Path.of("de/amtsbote/crypto/xml/SecureXml.java"))) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (FACTORY_CALL.matcher(lines.get(i)).find()) {
                        offenders.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(offenders).as("XML factories outside SecureXml").isEmpty();
    }

    @Test
    void thePatternRecognisesAnUnhardenedFactory() {
        assertThat(FACTORY_CALL.matcher("var f = DocumentBuilderFactory.newInstance();").find()).isTrue();
        assertThat(FACTORY_CALL.matcher("XMLInputFactory.newFactory()").find()).isTrue();
        assertThat(FACTORY_CALL.matcher("SecureXml.standard().newDocumentBuilder()").find()).isFalse();
    }
}
