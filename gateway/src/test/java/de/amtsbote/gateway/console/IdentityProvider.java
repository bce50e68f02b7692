package de.amtsbote.gateway.console;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OpenID Connect provider for the console's OIDC login test: the authorization endpoint logs in whoever
 * {@link #nextPerson} names without asking and sends the browser back with a code; the token endpoint trades the
 * code for an RS256-signed ID token (issuer, audience, nonce, name and roles claims); the JWK set endpoint publishes
 * the key. Standard flow, real signatures, real HTTP on loopback — only the person's login form is left out.
 */
final class IdentityProvider implements AutoCloseable {

    static final String CLIENT_ID = "amtsbote-console";
    static final String CLIENT_SECRET = "test-secret-" + UUID.randomUUID();

    private final HttpServer server;
    private final RSAKey key;
    private final Map<String, Map<String, Object>> codes = new ConcurrentHashMap<>();
    private volatile String person = "m.mustermann";
    private volatile List<String> roles = List.of();

    IdentityProvider() throws Exception {
        key = new RSAKeyGenerator(3072).keyID("k1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", e -> send(e, 200, "application/json",
                new JWKSet(key.toPublicJWK()).toString()));
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Who the next login at this provider will be, with which values of the roles claim. */
    void nextPerson(String name, List<String> roleValues) {
        this.person = name;
        this.roles = List.copyOf(roleValues);
    }

    private void authorize(HttpExchange e) throws IOException {
        Map<String, String> q = query(e.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))) {
            send(e, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = UUID.randomUUID().toString();
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", UUID.nameUUIDFromBytes(person.getBytes(StandardCharsets.UTF_8)).toString());
        claims.put("preferred_username", person);
        claims.put("roles", roles);
        claims.put("nonce", q.get("nonce"));
        codes.put(code, claims);
        e.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        e.sendResponseHeaders(302, -1);
        e.close();
    }

    private void token(HttpExchange e) throws IOException {
        Map<String, String> form = query(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, Object> claims = codes.remove(form.get("code"));
        if (claims == null) {
            send(e, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(base().toString()).audience(CLIENT_ID)
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
            claims.forEach(b::claim);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    b.build());
            jwt.sign(new RSASSASigner(key));
            send(e, 200, "application/json", "{\"access_token\":\"" + UUID.randomUUID()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"openid\",\"id_token\":\""
                    + jwt.serialize() + "\"}");
        } catch (Exception ex) {
            send(e, 500, "text/plain", ex.toString());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange e, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", type);
        e.sendResponseHeaders(status, bytes.length);
        e.getResponseBody().write(bytes);
        e.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
