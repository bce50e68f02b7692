package de.amtsbote.cli;

import de.amtsbote.crypto.content.ContentDigester;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Makes a bearer token for a client system. The token is shown once, for the client system's configuration; the
 * gateway keeps only its SHA-256. {@link #newToken} and {@link #digest} are also how the demo and the load benchmark
 * make their tokens.
 */
@Command(name = "client-token", mixinStandardHelpOptions = true,
        description = "Create a bearer token for a client system and print the configuration lines for the gateway.")
public final class ClientTokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--client", required = true, description = "client system id, e.g. fachverfahren-bauamt")
    String client;

    @Option(names = "--participant", required = true, description = "participant it may act for (repeatable)")
    String[] participants;

    @Override
    public Integer call() {
        String token = newToken();
        var out = spec.commandLine().getOut();
        out.println("Token for " + client + " (shown only now; give it to the client system):");
        out.println();
        out.println("  " + token);
        out.println();
        out.println("Add to the gateway's configuration (amtsbote.clients):");
        out.println();
        out.println("  - id: " + client);
        out.println("    token-sha256: " + digest(token));
        out.println("    participants: [" + String.join(", ", participants) + "]");
        return 0;
    }

    /** 256 random bits, URL-safe. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the gateway's configuration holds: the token's SHA-256, hex. */
    public static String digest(String token) {
        return ContentDigester.hexOf(token.getBytes(StandardCharsets.UTF_8));
    }
}
