package de.amtsbote.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the gateway is and which token to use: options first, then the environment ({@code AMTSBOTE_API},
 * {@code AMTSBOTE_TOKEN}), then the running demo's {@code data/demo/endpoints.json}.
 */
final class Connection {

    @Option(names = "--api", description = "gateway URL (default: $AMTSBOTE_API or the running demo)")
    String api;

    @Option(names = "--token", description = "bearer token (default: $AMTSBOTE_TOKEN or the running demo's)")
    String token;

    URI api() {
        String value = first(api, System.getenv("AMTSBOTE_API"), demo("api"));
        if (value == null) {
            throw new IllegalArgumentException("no gateway given: use --api, set AMTSBOTE_API, or start ./amtsbote demo");
        }
        return URI.create(value);
    }

    String token() {
        String value = first(token, System.getenv("AMTSBOTE_TOKEN"), demo("apiToken"));
        if (value == null) {
            throw new IllegalArgumentException("no token given: use --token, set AMTSBOTE_TOKEN, or start ./amtsbote demo");
        }
        return value;
    }

    private static String demo(String key) {
        Path endpoints = Home.directory().resolve("data/demo/endpoints.json");
        if (!Files.isRegularFile(endpoints)) {
            return null;
        }
        try {
            JsonNode node = JsonMapper.builder().build().readTree(Files.readString(endpoints)).get(key);
            return node == null || node.isNull() ? null : node.asString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + endpoints, e);
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
