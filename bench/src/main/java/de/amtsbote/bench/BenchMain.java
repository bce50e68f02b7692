package de.amtsbote.bench;

import de.amtsbote.bench.crypto.CryptoBenchReport;
import de.amtsbote.bench.load.LoadBenchmark;
import de.amtsbote.bench.micro.MicroBenchReport;
import java.util.Arrays;

/** {@code ./amtsbote bench <suite> [options]}: runs one benchmark suite and writes its results under bench/results/. */
public final class BenchMain {

    private BenchMain() {
    }

    /** The three suites in one go, in the same mode, for the report. */
    private static void all(String[] args) throws Exception {
        String mode = Arrays.asList(args).contains("--full") ? "--full" : "--quick";
        if (args.length > 1 || (args.length == 1 && !args[0].equals(mode))) {
            System.err.println("bench all takes only --quick or --full; run the suites one by one for other options");
            System.exit(2);
        }
        CryptoBenchReport.main(new String[] {mode});
        MicroBenchReport.main(new String[] {mode});
        LoadBenchmark.main(new String[] {mode, "--profile"});
    }

    public static void main(String[] args) throws Exception {
        String suite = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (suite) {
            case "crypto" -> CryptoBenchReport.main(rest);
            case "micro" -> MicroBenchReport.main(rest);
            case "load" -> LoadBenchmark.main(rest);
            case "all" -> all(rest);
            default -> {
                System.out.println("""
                        Usage: ./amtsbote bench <suite> [options]

                        Suites:
                          crypto [--quick|--full] [--large-mib N] [--out DIR]
                              CMS sign, verify, encrypt and decrypt (RSA-3072, P-256; 10 KiB, 10 MiB) with JMH,
                              next to openssl cms on the same inputs, and one large message (default 1 GiB) at
                              -Xmx128m next to the OpenSSL pipelines. Results: bench/results/crypto-<mode>.json/.md
                          micro [--quick|--full] [--out DIR] [--include REGEX]
                              JMH on the other hot paths: S/MIME sign+encrypt and decrypt+verify (10 KiB, 1 MiB,
                              10 MiB), the evidence XML signature, OSCI-style two-layer XML encryption, content store
                              writes (SHA-256 and AES-GCM, with and without fsync). Results: micro-<mode>.json/.md
                          load [--quick|--full] [--profile] [options, see bench/README.md]
                              The gateway end to end: real gateway processes on H2 and PostgreSQL, sandbox peers,
                              N concurrent client systems; accepts/s, latencies, dispatch rate with 1-3 nodes, heap and
                              RSS, the raw crypto ceiling. Results: load-<mode>.json/.md and PNG charts
                          all [--quick|--full]
                              crypto, micro and load (with --profile) one after the other: every figure of
                              docs/benchmarks.md in one command (--full: about an hour)
                        """);
                if (!suite.equals("help")) {
                    System.exit(2);
                }
            }
        }
    }
}
