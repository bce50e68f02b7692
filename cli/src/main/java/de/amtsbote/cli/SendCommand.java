package de.amtsbote.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Sends a message through the gateway, e.g. a test message after a configuration change. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send a message through the gateway.")
final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection = new Connection();

    @Option(names = "--from", required = true, description = "sending participant id")
    String sender;

    @Option(names = "--to", required = true, description = "recipient: participant:<id> or <channel>:<address> (repeatable)")
    List<String> recipients;

    @Option(names = "--subject", required = true)
    String subject;

    @Option(names = "--body", defaultValue = "")
    String body;

    @Option(names = "--reference", description = "the sender's file reference (Aktenzeichen)")
    String reference;

    @Option(names = "--attach", description = "a file to attach (repeatable)")
    List<Path> attachments = new ArrayList<>();

    @Option(names = "--receipts", split = ",", description = "receipts to ask for: dispatch, delivery, retrieval")
    List<String> receipts = new ArrayList<>();

    @Option(names = "--unsigned", description = "allow the message to go unsigned")
    boolean unsigned;

    @Option(names = "--unencrypted", description = "allow the message to go unencrypted")
    boolean unencrypted;

    @Option(names = "--idempotency-key", description = "reuse to resend safely (default: a new UUID)")
    String key;

    @Override
    public Integer call() {
        for (Path file : attachments) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
        }
        Map<String, Object> envelope = new java.util.LinkedHashMap<>();
        envelope.put("sender", sender);
        envelope.put("recipients", recipients);
        envelope.put("subject", subject);
        envelope.put("body", body);
        if (reference != null) {
            envelope.put("reference", reference);
        }
        envelope.put("options", Map.of("sign", !unsigned, "encrypt", !unencrypted, "receipts", receipts));
        String idempotencyKey = key != null ? key : UUID.randomUUID().toString();
        GatewayApi.Answer answer = new GatewayApi(connection.api(), connection.token())
                .submit(GatewayApi.JSON.writeValueAsString(envelope), attachments, idempotencyKey);
        var out = spec.commandLine().getOut();
        if (!answer.ok()) {
            spec.commandLine().getErr().println("refused: " + answer.problem());
            return 2;
        }
        out.println((answer.status() == 202 ? "accepted" : "already accepted earlier") + ": "
                + answer.body().get("id").asString() + " (Idempotency-Key " + idempotencyKey + ")");
        answer.body().get("deliveries").forEach(d -> out.println("  " + d.get("recipient").asString() + " via "
                + d.get("address").asString() + ": " + d.get("state").asString()));
        return 0;
    }
}
