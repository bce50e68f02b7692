package de.amtsbote.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/** Shows where a message's deliveries stand and its evidence. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a message's deliveries and evidence.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection = new Connection();

    @Parameters(index = "0", description = "message id")
    String id;

    @Override
    public Integer call() {
        GatewayApi.Answer answer = new GatewayApi(connection.api(), connection.token()).get("/api/v1/messages/" + id);
        if (!answer.ok()) {
            spec.commandLine().getErr().println(answer.problem());
            return answer.status() == 404 ? 3 : 2;
        }
        JsonNode m = answer.body();
        var out = spec.commandLine().getOut();
        out.println(m.get("id").asString() + "  \"" + m.get("subject").asString() + "\"  from " + m.get("sender").asString()
                + ", accepted " + m.get("acceptedAt").asString());
        for (JsonNode d : m.get("deliveries")) {
            out.println("  " + d.get("state").asString() + "  " + d.get("address").asString() + "  attempts "
                    + d.get("attempts").asInt() + (d.hasNonNull("lastError") ? "  last error: "
                    + d.get("lastError").asString() : ""));
        }
        out.println("evidence:");
        for (JsonNode e : m.get("evidence")) {
            out.println("  " + e.get("time").asString() + "  " + e.get("event").asString()
                    + (e.hasNonNull("recipient") ? "  " + e.get("recipient").asString() : "") + "  " + e.get("id").asString());
        }
        return 0;
    }
}
