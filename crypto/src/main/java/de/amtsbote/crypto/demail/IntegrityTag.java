package de.amtsbote.crypto.demail;

import de.amtsbote.crypto.policy.Algorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The value of an {@code X-de-mail-integrity} field, read: a DKIM-style tag list (RFC 6376 3.2) with the De-Mail
 * rules of TR 01201-3.4 §3.1.13/§3.1.21 and the wire contract — {@code v=1}, {@code a=<hash>} (hashed only) or
 * {@code a=<hash>/<sig>} (signed), {@code c=simple/simple}, {@code d=}, {@code q=} exactly when signed, {@code t=},
 * {@code h=}, {@code bh=}, {@code b=}; no {@code l=}; no tag twice. Unknown tags are ignored (RFC 6376 3.2).
 *
 * @param digest    the hash of {@code a=} (policy checks come later: SHA-1 is read, so that it can be refused by name)
 * @param scheme    the signature scheme of {@code a=}, or null when only hashed
 * @param domain    {@code d=}, the issuing provider's domain, lower case
 * @param time      {@code t=}, or null when absent
 * @param headers   {@code h=}, the signed field names in order
 * @param bodyHash  {@code bh=}, decoded
 * @param value     {@code b=}, decoded: the signature, or the hash of the header fields when only hashed
 */
public record IntegrityTag(Algorithm digest, Algorithm scheme, String domain, Instant time, List<String> headers,
                           byte[] bodyHash, byte[] value) {

    /** The query method of a signed field: the key is in a header field, never in DNS. */
    public static final String QUERY = "x-header/x-de-mail-signature-certificate";

    private static final Set<String> SINGLE = Set.of("v", "a", "c", "d", "q", "t", "h", "bh", "b", "l", "i", "s", "x", "z");

    public IntegrityTag {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(domain, "domain");
        headers = List.copyOf(headers);
        bodyHash = bodyHash.clone();
        value = value.clone();
    }

    /** Whether the field carries a signature ({@code a=<hash>/<sig>}) rather than only a hash. */
    public boolean signed() {
        return scheme != null;
    }

    @Override
    public byte[] bodyHash() {
        return bodyHash.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** {@code a=} as written: {@code sha256}, {@code sha384/ec-dsa}, ... */
    public String algorithmName() {
        return hashName(digest) + (scheme == null ? "" : "/" + schemeName(scheme));
    }

    /**
     * Reads a field value (what follows the colon; folding allowed).
     *
     * @throws IntegrityException MALFORMED naming the tag, or LENGTH_LIMITED for {@code l=}
     */
    public static IntegrityTag parse(String fieldValue) throws IntegrityException {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : fieldValue.split(";", -1)) {
            String p = strip(part);
            if (p.isEmpty()) {
                continue; // a trailing ';' is allowed (RFC 6376 3.2)
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw malformed("'" + p + "' is not a tag=value pair");
            }
            String name = strip(p.substring(0, eq));
            String value = strip(p.substring(eq + 1));
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw malformed("'" + name + "' is not a tag name");
            }
            if (tags.put(name, value) != null && SINGLE.contains(name)) {
                throw malformed("the tag " + name + "= occurs twice");
            }
        }
        if (tags.containsKey("l")) {
            throw new IntegrityException(IntegrityCheck.LENGTH_LIMITED, "the integrity field carries l= (a body"
                    + " length limit), which TR 01201-3.4 forbids: content after the limit would be unsigned");
        }
        if (!"1".equals(required(tags, "v"))) {
            throw malformed("v=" + tags.get("v") + " is not version 1");
        }
        String c = tags.getOrDefault("c", "simple/simple").toLowerCase(Locale.ROOT);
        if (!c.equals("simple/simple") && !c.equals("simple")) {
            throw malformed("c=" + c + " is not simple/simple, the only canonicalisation De-Mail uses");
        }
        String a = required(tags, "a").toLowerCase(Locale.ROOT);
        int slash = a.indexOf('/');
        Algorithm digest = hash(slash < 0 ? a : a.substring(0, slash));
        Algorithm scheme = slash < 0 ? null : scheme(a.substring(slash + 1));
        String q = tags.get("q");
        if (scheme != null && (q == null || !q.equalsIgnoreCase(QUERY))) {
            throw malformed("a signed field needs q=" + QUERY + " (got " + (q == null ? "none" : "q=" + q) + ")");
        }
        if (scheme == null && q != null) {
            throw malformed("q= is present, but a=" + a + " says the field is only hashed");
        }
        String d = required(tags, "d").toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw malformed("d=" + d + " is not a domain name");
        }
        Instant time = null;
        if (tags.containsKey("t")) {
            try {
                time = Instant.ofEpochSecond(Long.parseLong(tags.get("t")));
            } catch (NumberFormatException e) {
                throw malformed("t=" + tags.get("t") + " is not a number of seconds");
            }
        }
        List<String> headers = new ArrayList<>();
        for (String h : required(tags, "h").split(":", -1)) {
            String name = strip(h);
            if (name.isEmpty()) {
                throw malformed("h= has an empty field name");
            }
            headers.add(name);
        }
        return new IntegrityTag(digest, scheme, d, time, headers, base64(tags, "bh"), base64(tags, "b"));
    }

    static String hashName(Algorithm a) {
        return switch (a) {
            case SHA1 -> "sha1";
            case SHA256 -> "sha256";
            case SHA384 -> "sha384";
            case SHA512 -> "sha512";
            default -> a.displayName();
        };
    }

    static String schemeName(Algorithm a) {
        return switch (a) {
            case ECDSA -> "ec-dsa";
            case RSASSA_PSS -> "rsassa-pss";
            case RSA_PKCS1_V15_SIGNATURE -> "rsa";
            default -> a.displayName();
        };
    }

    private static Algorithm hash(String name) throws IntegrityException {
        return switch (name) {
            case "sha256" -> Algorithm.SHA256;
            case "sha384" -> Algorithm.SHA384;
            case "sha512" -> Algorithm.SHA512;
            // read so that the policy refuses it by name
            case "sha1" -> Algorithm.SHA1;
            case "md5" -> Algorithm.MD5;
            default -> throw malformed("a= names the unknown hash '" + name + "' (sha256, sha384 or sha512)");
        };
    }

    private static Algorithm scheme(String name) throws IntegrityException {
        return switch (name) {
            case "ec-dsa" -> Algorithm.ECDSA;
            case "rsassa-pss" -> Algorithm.RSASSA_PSS;
            case "rsa" -> Algorithm.RSA_PKCS1_V15_SIGNATURE;
            default -> throw malformed("a= names the unknown signature '" + name + "' (ec-dsa, rsassa-pss or rsa)");
        };
    }

    private static String required(Map<String, String> tags, String name) throws IntegrityException {
        String v = tags.get(name);
        if (v == null || v.isEmpty()) {
            throw malformed("the tag " + name + "= is missing");
        }
        return v;
    }

    private static byte[] base64(Map<String, String> tags, String name) throws IntegrityException {
        String v = required(tags, name).replaceAll("[ \t\r\n]", "");
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw malformed(name + "= is not base64");
        }
    }

    private static String strip(String s) {
        return s.replace("\r", "").replace("\n", "").strip();
    }

    private static IntegrityException malformed(String detail) {
        return new IntegrityException(IntegrityCheck.MALFORMED, "the integrity field is malformed: " + detail);
    }
}
