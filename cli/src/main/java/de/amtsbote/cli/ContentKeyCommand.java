package de.amtsbote.cli;

import de.amtsbote.crypto.content.ContentKeyRing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Creates a content key (encryption at rest) in a key directory; the newest key encrypts new content. */
@Command(name = "content-key", mixinStandardHelpOptions = true,
        description = "Create a new key for content at rest in a key directory. Older keys stay and keep decrypting.")
final class ContentKeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the key directory (amtsbote.content.keys-directory)")
    Path directory;

    @Override
    public Integer call() throws IOException {
        String id = ContentKeyRing.generate(directory, Clock.systemUTC());
        spec.commandLine().getOut().println("created content key '" + id + "' in " + directory.toAbsolutePath()
                + "; copy it to every gateway node, then restart them");
        return 0;
    }
}
