package de.amtsbote.bench;

import de.amtsbote.bench.crypto.CryptoBenchReport;
import java.util.Arrays;

/** {@code ./amtsbote bench <suite> [options]}: runs one benchmark suite and writes its results under bench/results/. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String suite = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (suite) {
            case "crypto" -> CryptoBenchReport.main(rest);
            default -> {
                System.out.println("""
                        Usage: ./amtsbote bench <suite> [options]

                        Suites:
                          crypto [--quick|--full] [--large-mib N] [--out DIR]
                              CMS sign, verify, encrypt and decrypt (RSA-3072, P-256; 10 KiB, 10 MiB) with JMH,
                              next to openssl cms on the same inputs, and one large message (default 1 GiB) at
                              -Xmx128m next to the OpenSSL pipelines. Results: bench/results/crypto-<mode>.json/.md
                        """);
                if (!suite.equals("help")) {
                    System.exit(2);
                }
            }
        }
    }
}
