package de.amtsbote.sandbox.demail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox De-Mail network's HTTP endpoint on 127.0.0.1 (JDK HttpServer), for the demo and scripts:
 *
 * <pre>
 * POST /demail/mailboxes/{address}/secure-login   → {"confirmed": n}
 * POST /demail/mailboxes/{address}/send           JSON OutgoingDeMail → {"demailMessageId": "…"} | 422 {"error": reply}
 * GET  /demail/mailboxes/{address}/messages       → [{"uid", "subject", "messageType", "notificationType", "headers"}]
 * GET  /demail/log[?provider=name]                → [{"provider", "time", "event", …}]
 * </pre>
 */
final class DeMailEndpoint {

    private static final int MAX_REQUEST = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;

    private DeMailEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static DeMailEndpoint start(DeMailProviders network, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 20);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demail-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/demail/", exchange -> {
            try (exchange) {
                handle(network, exchange);
            } catch (RuntimeException e) {
                respond(exchange, 500, error(e.getMessage()));
            }
        });
        server.start();
        return new DeMailEndpoint(server, executor);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void handle(DeMailProviders network, HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        String method = x.getRequestMethod();
        if (path.equals("/demail/log")) {
            if (!method.equals("GET")) {
                respond(x, 405, error("GET only"));
                return;
            }
            String query = x.getRequestURI().getQuery();
            String only = query != null && query.startsWith("provider=") ? query.substring("provider=".length()) : null;
            ArrayNode all = DeMailLog.JSON.createArrayNode();
            for (DeMailProvider p : network.providers()) {
                if (only != null && !only.equals(p.name())) {
                    continue;
                }
                for (DeMailEvent e : p.log()) {
                    ObjectNode o = all.addObject().put("provider", p.name()).put("time", e.time().toString())
                            .put("event", e.event());
                    e.data().forEach(o::put);
                }
            }
            respond(x, 200, all);
            return;
        }
        String prefix = "/demail/mailboxes/";
        int slash = path.lastIndexOf('/');
        if (!path.startsWith(prefix) || slash <= prefix.length()) {
            respond(x, 404, error("no such resource " + path));
            return;
        }
        String address = URLDecoder.decode(path.substring(prefix.length(), slash), StandardCharsets.UTF_8);
        String action = path.substring(slash + 1);
        DeMailMailbox box;
        try {
            box = network.mailbox(address);
        } catch (NoSuchElementException e) {
            respond(x, 404, error(e.getMessage()));
            return;
        }
        switch (method + " " + action) {
            case "POST secure-login" -> respond(x, 200, DeMailLog.JSON.createObjectNode()
                    .put("confirmed", box.secureLogin()));
            case "GET messages" -> {
                ArrayNode list = DeMailLog.JSON.createArrayNode();
                for (DeMailMessage m : box.messages()) {
                    ObjectNode o = list.addObject().put("uid", m.uid()).put("subject", m.subject())
                            .put("messageType", m.messageType()).put("notificationType", m.notificationType());
                    ObjectNode h = o.putObject("headers");
                    m.headers().forEach(h::put);
                }
                respond(x, 200, list);
            }
            case "POST send" -> send(box, x);
            default -> respond(x, 404, error("no " + method + " " + action + " on a mailbox"));
        }
    }

    private static void send(DeMailMailbox box, HttpExchange x) throws IOException {
        JsonNode r;
        try (InputStream in = x.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_REQUEST + 1);
            if (body.length > MAX_REQUEST) {
                respond(x, 413, error("the request is larger than " + MAX_REQUEST + " bytes"));
                return;
            }
            r = DeMailLog.JSON.readTree(body);
        } catch (JacksonException e) {
            respond(x, 400, error("the request is not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (r == null || !r.isObject() || !r.hasNonNull("to") || !r.hasNonNull("subject")) {
            respond(x, 400, error("send needs a JSON object with at least to and subject"));
            return;
        }
        OutgoingDeMail.Builder b = OutgoingDeMail.to(r.get("to").asString()).subject(r.get("subject").asString());
        if (r.hasNonNull("body")) {
            b.body(r.get("body").asString());
        }
        if (r.hasNonNull("privateId")) {
            b.privateId(r.get("privateId").asString());
        }
        if (r.has("attachments")) {
            r.get("attachments").forEach(a -> b.attach(Path.of(a.asString())));
        }
        if (r.path("personal").asBoolean(false)) {
            b.personal();
        }
        if (r.path("authoritative").asBoolean(false)) {
            b.authoritative();
        }
        if (r.path("dispatchConfirmation").asBoolean(false)) {
            b.dispatchConfirmation();
        }
        if (r.path("receiptConfirmation").asBoolean(false)) {
            b.receiptConfirmation();
        }
        if (r.path("retrieveConfirmation").asBoolean(false)) {
            b.retrieveConfirmation();
        }
        if (r.hasNonNull("recipientCertificate")) {
            b.encryptFor(Path.of(r.get("recipientCertificate").asString()));
        }
        try {
            respond(x, 200, DeMailLog.JSON.createObjectNode().put("demailMessageId", box.send(b.build())));
        } catch (DeMailRefusedException e) {
            respond(x, 422, error(e.getMessage()));
        } catch (IOException e) {
            respond(x, 400, error(e.getMessage()));
        }
    }

    private static ObjectNode error(String message) {
        return DeMailLog.JSON.createObjectNode().put("error", String.valueOf(message));
    }

    private static void respond(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = DeMailLog.JSON.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
