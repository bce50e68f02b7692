package de.amtsbote.cli;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyInfo;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Offline key-store work for security officers, directly on the gateway's PKCS#12 key vault (the file and its ledger):
 * list keys and their certificates' expiry, generate a key or a successor to rotate one, write its certificate
 * request, import the issued certificate, retire a key. Changes are picked up by a running gateway on its next use of the vault. Exit codes:
 * 0 done; 1 a problem found (a key expiring, the vault or the policy refused); 2 usage or I/O error (store missing,
 * wrong password, unreadable file, unknown key reference).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Work on the gateway's key store (PKCS#12) offline: list, create, generate, rotate, csr, import,"
                + " retire.",
                "Exit 0: done; 1: a problem found (keys expiring, the vault or the algorithm policy refused);"
                        + " 2: usage or I/O error."},
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Create.class, KeysCommand.Generate.class,
                KeysCommand.Rotate.class, KeysCommand.Csr.class, KeysCommand.Import.class, KeysCommand.Retire.class})
final class KeysCommand {

    /** The vault refusals that are about the store and its secret (cannot run), not about the keys in it. */
    private static final Set<KeyVaultException.Reason> CANNOT_RUN = EnumSet.of(
            KeyVaultException.Reason.SECRET_UNAVAILABLE, KeyVaultException.Reason.WRONG_SECRET,
            KeyVaultException.Reason.WEAK_SECRET, KeyVaultException.Reason.STORE_UNAVAILABLE,
            KeyVaultException.Reason.STORE_FAILURE, KeyVaultException.Reason.WEAK_STORE_PROTECTION,
            KeyVaultException.Reason.UNKNOWN_KEY);

    private KeysCommand() {
    }

    /** The options every key command takes: which store, and where its password is. */
    static final class StoreOptions {

        @Option(names = "--key-store", required = true, paramLabel = "FILE",
                description = "the PKCS#12 key store (amtsbote key store file; its ledger FILE.ledger lies beside it)")
        Path keyStore;

        @Option(names = "--password-file", required = true, paramLabel = "FILE",
                description = "file holding the key store password (one trailing line break is ignored)")
        Path passwordFile;

        KeyVault open() throws KeyVaultException {
            return Pkcs12KeyVault.open(keyStore, SecretSource.file(passwordFile), AlgorithmPolicy.bsi(),
                    Clock.systemUTC());
        }
    }

    /** Runs a command on the opened vault and turns refusals into a message that names the problem and an exit code. */
    abstract static class VaultCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                prepare();
                try (KeyVault vault = openVault()) {
                    return run(vault, spec.commandLine().getOut());
                }
            } catch (KeyVaultException e) {
                err.println(name() + ": " + describe(e.reason()) + ": " + e.getMessage());
                return CANNOT_RUN.contains(e.reason()) ? 2 : 1;
            } catch (PolicyViolationException e) {
                err.println(name() + ": refused by the algorithm policy (" + e.reason() + "): " + e.getMessage());
                return 1;
            } catch (CryptoException e) {
                err.println(name() + ": key operation failed: " + e.getMessage());
                return 2;
            } catch (IOException | CertificateException e) {
                err.println(name() + ": " + e.getMessage());
                return 2;
            } catch (IllegalArgumentException e) {
                err.println(name() + ": " + e.getMessage());
                return 2;
            }
        }

        private String name() {
            return spec.qualifiedName();
        }

        /** Checks arguments and reads input files before the vault is opened, so a bad argument changes nothing. */
        void prepare() throws IOException, CertificateException {
        }

        KeyVault openVault() throws KeyVaultException {
            return store.open();
        }

        abstract int run(KeyVault vault, PrintWriter out) throws CryptoException, IOException;

        /** The vault's key with this reference (its alias), as listed. */
        static KeyInfo find(KeyVault vault, String reference) throws KeyVaultException {
            for (KeyInfo info : vault.list()) {
                if (info.ref().id().equals(reference)) {
                    return info;
                }
            }
            throw new KeyVaultException(KeyVaultException.Reason.UNKNOWN_KEY, "no key '" + reference
                    + "' in the key store (see 'keys list')");
        }
    }

    private static String describe(KeyVaultException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the keys: owner, purpose, reference, state, key, certificate subject, not-after and"
                    + " days left.", "With --expiring DAYS only active keys (and keys in overlap) whose certificate"
                    + " ends within DAYS days; exit 1 if there are any (for cron and monitoring)."})
    static final class ListKeys extends VaultCommand {

        @Option(names = "--expiring", paramLabel = "DAYS",
                description = "only keys in use whose certificate ends within DAYS days; exit 1 if any")
        Integer expiringDays;

        @Override
        void prepare() {
            if (expiringDays != null && expiringDays < 0) {
                throw new IllegalArgumentException("--expiring must not be negative: " + expiringDays);
            }
        }

        @Override
        int run(KeyVault vault, PrintWriter out) throws KeyVaultException {
            Instant now = Instant.now();
            List<KeyInfo> shown = new ArrayList<>();
            for (KeyInfo info : vault.list()) {
                if (expiringDays == null || expiring(info, now)) {
                    shown.add(info);
                }
            }
            if (shown.isEmpty()) {
                out.println(expiringDays == null ? "no keys in " + store.keyStore
                        : "no key in use expires within " + expiringDays + " days");
                return 0;
            }
            out.println(String.join("\t", "OWNER", "PURPOSE", "REFERENCE", "STATE", "KEY", "SUBJECT", "NOT-AFTER",
                    "DAYS-LEFT"));
            for (KeyInfo info : shown) {
                out.println(String.join("\t", info.owner(), info.purpose().name(), info.ref().id(), state(info),
                        String.valueOf(info.key()), info.subject() == null ? "-" : info.subject(),
                        info.notAfter() == null ? "-" : info.notAfter().toString(), daysLeft(info, now)));
            }
            return expiringDays == null ? 0 : 1;
        }

        private boolean expiring(KeyInfo info, Instant now) {
            boolean inUse = info.state() == KeyState.ACTIVE || info.state() == KeyState.OVERLAP;
            return inUse && info.notAfter() != null
                    && info.notAfter().isBefore(now.plus(Duration.ofDays(expiringDays)));
        }

        private static String state(KeyInfo info) {
            return switch (info.state()) {
                case PENDING -> "PENDING (placeholder certificate)";
                case OVERLAP -> "OVERLAP until " + info.overlapUntil();
                default -> info.state().name();
            };
        }

        private static String daysLeft(KeyInfo info, Instant now) {
            if (info.notAfter() == null || info.state() == KeyState.PENDING || info.state() == KeyState.RETIRED) {
                return "-";
            }
            if (!info.notAfter().isAfter(now)) {
                return "expired";
            }
            return String.valueOf(Duration.between(now, info.notAfter()).toDays());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a new, empty key store (the gateway also creates one on first start). The password"
                    + " file must hold at least 16 characters, e.g. from 'openssl rand -base64 32'.")
    static final class Create extends VaultCommand {

        @Override
        KeyVault openVault() throws KeyVaultException {
            return Pkcs12KeyVault.create(store.keyStore, SecretSource.file(store.passwordFile), AlgorithmPolicy.bsi(),
                    Clock.systemUTC());
        }

        @Override
        int run(KeyVault vault, PrintWriter out) {
            out.println("created key store " + store.keyStore.toAbsolutePath().normalize() + " and its ledger "
                    + Pkcs12KeyVault.ledgerFile(store.keyStore.toAbsolutePath().normalize()));
            return 0;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generate an owner's first key for a purpose, pending its certificate; prints the key's"
                    + " reference. Next: 'keys csr', then 'keys import'."})
    static final class Generate extends VaultCommand {

        @Option(names = "--owner", required = true, paramLabel = "ID",
                description = "the participant id, or 'gateway' for the gateway's own keys")
        String owner;

        @Option(names = "--purpose", required = true, paramLabel = "PURPOSE",
                description = "SIGNING, ENCRYPTION, EVIDENCE or TLS")
        KeyPurpose purpose;

        @Option(names = {"--key", "--key-spec"}, paramLabel = "SPEC",
                description = "ec:P-256, ec:brainpoolP256r1, rsa:3072, ..."
                + " (default: ec:brainpoolP256r1 for EVIDENCE, rsa:3072 otherwise); the algorithm policy decides")
        String key;

        private KeySpec keySpec;

        @Override
        void prepare() {
            keySpec = key == null ? (purpose == KeyPurpose.EVIDENCE ? KeySpec.ecDefault() : KeySpec.rsaDefault())
                    : parseKeySpec(key);
        }

        @Override
        int run(KeyVault vault, PrintWriter out) throws KeyVaultException, PolicyViolationException {
            KeyRef ref = vault.generate(owner, purpose, keySpec);
            out.println(ref.id());
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Generate a successor to an owner's active key for a purpose, pending its certificate;"
                    + " prints the new key's reference. The active key keeps working meanwhile.",
                    "Next: 'keys csr --key REF', have it certified, 'keys import --key REF'. On import the new key"
                            + " becomes ACTIVE and the old one goes to OVERLAP for the overlap given: it still"
                            + " decrypts what partners encrypted for it (they may not have the new certificate yet),"
                            + " but no longer signs. Then it is retired by itself.",
                    "Example: keys rotate stadt-bad-vilbel ENCRYPTION --overlap 30d --key-store … --password-file …"})
    static final class Rotate extends VaultCommand {

        @Parameters(index = "0", paramLabel = "OWNER",
                description = "the participant id, or 'gateway' for the gateway's own keys")
        String owner;

        @Parameters(index = "1", paramLabel = "PURPOSE", description = "SIGNING, ENCRYPTION, EVIDENCE or TLS")
        KeyPurpose purpose;

        @Option(names = "--overlap", required = true, paramLabel = "DURATION", description = "how long the old key"
                + " still decrypts after the new one is active: 30d, 12h, 90m, 0 (retired at once) or ISO-8601 (P30D)")
        String overlapText;

        @Option(names = {"--key-spec", "--key"}, paramLabel = "SPEC", description = "ec:P-256, ec:brainpoolP256r1,"
                + " rsa:3072, ... (default: as for 'keys generate'); the algorithm policy decides")
        String key;

        private KeySpec keySpec;
        private Duration overlap;

        @Override
        void prepare() {
            overlap = parseDuration(overlapText);
            keySpec = key == null ? (purpose == KeyPurpose.EVIDENCE ? KeySpec.ecDefault() : KeySpec.rsaDefault())
                    : parseKeySpec(key);
        }

        @Override
        int run(KeyVault vault, PrintWriter out) throws KeyVaultException, PolicyViolationException {
            boolean active = vault.list().stream().anyMatch(i -> i.owner().equals(owner) && i.purpose() == purpose
                    && i.state() == KeyState.ACTIVE);
            if (!active) {
                throw new KeyVaultException(KeyVaultException.Reason.NO_ACTIVE_KEY, owner + " has no active " + purpose
                        + " key to rotate (see 'keys list'); the first key is made with 'keys generate'");
            }
            KeyRef ref = vault.rotate(owner, purpose, keySpec, overlap);
            out.println(ref.id());
            return 0;
        }
    }

    /** "30d", "12h", "90m", "45s", "0" or an ISO-8601 duration ("P30D", "PT12H"); never negative. */
    static Duration parseDuration(String text) {
        String t = text.strip();
        Duration d = null;
        try {
            if (t.equals("0")) {
                d = Duration.ZERO;
            } else if (t.matches("\\d+[dhms]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } else if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            }
        } catch (java.time.format.DateTimeParseException | ArithmeticException | NumberFormatException e) {
            d = null;
        }
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("--overlap '" + text + "' is not a duration; use 30d, 12h, 90m, 0 or"
                    + " an ISO-8601 duration such as P30D");
        }
        return d;
    }

    /** "ec:CURVE" or "rsa:BITS"; the policy, not this parser, decides what is strong enough. */
    static KeySpec parseKeySpec(String text) {
        int colon = text.indexOf(':');
        String type = colon < 0 ? text : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String param = colon < 0 ? "" : text.substring(colon + 1);
        if (type.equals("ec") && !param.isBlank()) {
            return KeySpec.ec(param);
        }
        if (type.equals("rsa")) {
            try {
                return KeySpec.rsa(Integer.parseInt(param));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("--key '" + text + "' is not a key specification; use ec:CURVE (ec:P-256,"
                + " ec:brainpoolP256r1) or rsa:BITS (rsa:3072)");
    }

    @Command(name = "csr", mixinStandardHelpOptions = true,
            description = "Write a PKCS#10 certificate request (PEM) for a pending key, signed by the key itself.")
    static final class Csr extends VaultCommand {

        @Option(names = "--key", required = true, paramLabel = "REF", description = "the key's reference")
        String reference;

        @Option(names = "--organisation", required = true, paramLabel = "O", description = "the authority or company")
        String organisation;

        @Option(names = "--common-name", required = true, paramLabel = "CN", description = "the certificate's name")
        String commonName;

        @Option(names = "--email", paramLabel = "ADDRESS", description = "an e-mail address to request as"
                + " rfc822Name (S/MIME); may be repeated")
        List<String> emails = new ArrayList<>();

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.csr", description = "where to write")
        Path output;

        private CsrSubject subject;

        @Override
        void prepare() {
            subject = new CsrSubject(organisation, commonName, emails);
        }

        @Override
        int run(KeyVault vault, PrintWriter out) throws CryptoException, IOException {
            String pem = vault.csr(find(vault, reference).ref(), subject);
            Files.writeString(output, pem);
            out.println("wrote the certificate request for " + reference + " to " + output);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import the issued certificate of a pending key, with its issuers, and activate the key."
                    + " The vault checks that it certifies this key, fits the key's purpose, is valid now and that"
                    + " the chain links.")
    static final class Import extends VaultCommand {

        @Option(names = "--key", required = true, paramLabel = "REF", description = "the key's reference")
        String reference;

        @Option(names = "--chain", required = true, paramLabel = "FILE.pem",
                description = "PEM: the issued certificate first, then the intermediates")
        Path chainFile;

        private List<X509Certificate> chain;

        @Override
        void prepare() throws IOException, CertificateException {
            if (!Files.isRegularFile(chainFile)) {
                throw new IOException("--chain " + chainFile + " does not exist");
            }
            chain = Pem.readCertificates(chainFile);
            if (chain.isEmpty()) {
                throw new CertificateException("--chain " + chainFile + " holds no PEM certificate");
            }
        }

        @Override
        int run(KeyVault vault, PrintWriter out) throws KeyVaultException, PolicyViolationException {
            KeyInfo info = vault.importCertificate(find(vault, reference).ref(), chain);
            out.println("imported the certificate of " + info.ref().id() + " (" + info.subject() + ", valid until "
                    + info.notAfter() + "); the key is " + info.state());
            return 0;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = "Retire a key now: it no longer signs or decrypts. It stays in the store.")
    static final class Retire extends VaultCommand {

        @Option(names = "--key", required = true, paramLabel = "REF", description = "the key's reference")
        String reference;

        @Override
        int run(KeyVault vault, PrintWriter out) throws KeyVaultException {
            vault.retire(find(vault, reference).ref());
            out.println("retired " + reference);
            return 0;
        }
    }
}
