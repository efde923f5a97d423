package io.loginetl;

import java.util.Arrays;
import java.util.List;

import io.loginetl.demo.DemoCommand;
import io.loginetl.vault.VaultCommands;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/**
 * {@code java -jar login-etl.jar [command]}: no command runs the pipeline until stopped; {@code demo} runs it
 * on in-process servers. A configuration error prints one line naming the setting and exits with 2.
 */
public final class LoginEtlApplication {

    static final String USAGE = """
            usage: java -jar login-etl.jar [--help | demo | bench [--messages N] [--consumers C] [--jvm "OPTIONS"] [--latency-seconds S] | recover MASKED... | forget MASKED... | rekey] [--reason TEXT]
              --help, -h        print this and exit
              (no command)      run the pipeline with the configuration of application.properties and the
                                environment (SQS_QUEUE, DB_URL, PII_MASKING_KEY, ...) until stopped
              demo              run it on an in-process SQS and PostgreSQL with generated logins, print a summary
              bench             N generated logins (default 200,000) through the pipeline (its own JVM, default
                                options -Xmx256m), then at half its rate for latency, then the baselines (bare SQS
                                drain, COPY, a naive loop) on the configured or embedded servers; rates, memory, ratios
              recover MASKED... print MASKED<TAB>ORIGINAL from the vault (needs PII_VAULT_KEY; audited)
              forget MASKED...  erase the originals of those masked values from the vault (audited)
              rekey             re-encrypt every vault entry under the first key of PII_VAULT_KEY (audited)""";

    private LoginEtlApplication() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            if (args.length == 0) {
                Main main = LoginEtl.newMain(null);
                stopOnSignal(main, "TERM");
                stopOnSignal(main, "INT");
                return main.run(new String[0]);
            }
            if (args.length == 1 && List.of("--help", "-h", "help").contains(args[0])) {
                System.out.println(USAGE);
                return 0;
            }
            if (args[0].equals("demo") && args.length == 1) {
                return new DemoCommand(System.out).run();
            }
            if (args[0].equals("bench")) {
                return new io.loginetl.bench.BenchCommand(System.out).run(args);
            }
            if (List.of("recover", "forget", "rekey").contains(args[0])) {
                return VaultCommands.run(args, System.out, System.err);
            }
            System.err.println(USAGE);
            System.err.println("login-etl: unknown arguments: " + String.join(" ", Arrays.asList(args)));
            return 2;
        } catch (Exception e) {
            ConfigurationException config = configurationError(e);
            if (config != null) {
                System.err.println("login-etl: configuration error: " + config.getMessage());
                return 2;
            }
            System.err.println("login-etl: failed: " + e);
            return 1;
        }
    }

    /**
     * SIGTERM (and Ctrl-C) end the run instead of the JVM: Camel stops polling, flushes and commits the pending
     * batch, deletes its messages, and {@code main} returns, so the process exits 0 rather than 143.
     */
    private static void stopOnSignal(Main main, String signal) {
        Signal.handle(new Signal(signal), s -> main.completed());
    }

    static ConfigurationException configurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }
}
