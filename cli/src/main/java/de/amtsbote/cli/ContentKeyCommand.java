package de.amtsbote.cli;

import de.amtsbote.crypto.content.ContentKeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Creates a content key (encryption at rest) in a key directory; the newest key encrypts new content. */
@Command(name = "content-key", mixinStandardHelpOptions = true,
        description = {"Create a new key for content at rest in a key directory. Older keys stay and keep decrypting.",
                "Exit 0: created; 2: the directory cannot be used."})
final class ContentKeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the key directory (amtsbote.content.keys-directory)")
    Path directory;

    @Override
    public Integer call() {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            spec.commandLine().getErr().println("content-key: " + directory + " is a file, not a key directory");
            return 2;
        }
        String id;
        try {
            id = ContentKeyRing.generate(directory, Clock.systemUTC());
        } catch (IOException e) {
            spec.commandLine().getErr().println("content-key: cannot create a key in " + directory + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage());
            return 2;
        }
        spec.commandLine().getOut().println("created content key '" + id + "' in " + directory.toAbsolutePath()
                + "; copy it to every gateway node, then restart them");
        return 0;
    }
}
