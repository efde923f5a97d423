package io.loginetl;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.main.Main;
import sun.misc.Signal;

/**
 * {@code java -jar login-etl.jar [command]}: no command runs the pipeline until stopped; the others are the
 * operator's. A configuration error prints one line naming the setting and exits with 2. (The demo and the bench
 * are in {@code login-etl-tools.jar}, beside this one.)
 */
public final class LoginEtlApplication {

    static final String USAGE = """
            usage: java -jar login-etl.jar [--help | migrate | recover MASKED... | forget MASKED... | rekey | verify-audit]
              --help, -h        print this and exit
              (no command)      run the pipeline with the configuration of application.properties and the
                                environment (SQS_QUEUE, DB_URL, PII_MASKING_KEY, ...) until stopped
              migrate           bring the database at DB_URL to login-etl's schema version (run it as the owner), exit
              recover MASKED... print MASKED<TAB>ORIGINAL from the vault (needs PII_VAULT_KEY; audited)
              forget MASKED...  erase the originals of those masked values from the vault (audited)
              rekey             re-encrypt every vault entry under the first key of PII_VAULT_KEY (audited)
                                (recover, forget and rekey need --reason TEXT, which the audit records)
              verify-audit [--head HASH]
                                check the audit's hash chain (and that a head recorded earlier is still in it)
            The demo and the bench: java -jar login-etl-tools.jar --help""";

    private LoginEtlApplication() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (isHelp(args)) {
            System.out.println(USAGE);
            return 0;
        }
        return reportingErrors("login-etl", () -> {
            if (args.length == 0) {
                Main main = LoginEtl.newMain(null);
                stopOnSignal(main, "TERM");
                stopOnSignal(main, "INT");
                return main.run(new String[0]);
            }
            if (args.length == 1 && args[0].equals("migrate")) {
                return MigrateCommand.run(System.out);
            }
            if (args[0].equals("verify-audit")) {
                return VerifyAuditCommand.run(args, System.out, System.err);
            }
            if (List.of("recover", "forget", "rekey").contains(args[0])) {
                return VaultCommands.run(args, System.out, System.err);
            }
            System.err.println(USAGE);
            System.err.println("login-etl: unknown arguments: " + String.join(" ", Arrays.asList(args)));
            return 2;
        });
    }

    /** {@code --help}, {@code -h} or {@code help}, alone. */
    public static boolean isHelp(String[] args) {
        return args.length == 1 && List.of("--help", "-h", "help").contains(args[0]);
    }

    /** A command's body: returns its exit status. */
    public interface Command {
        int run() throws Exception;
    }

    /**
     * Runs a command; a configuration error anywhere in its causes is one line naming the setting (exit 2), any
     * other failure one line with the exception (exit 1).
     */
    public static int reportingErrors(String program, Command command) {
        try {
            return command.run();
        } catch (Exception e) {
            ConfigurationException config = configurationError(e);
            if (config != null) {
                System.err.println(program + ": configuration error: " + config.getMessage());
                return 2;
            }
            System.err.println(program + ": failed: " + e);
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
