package io.loginetl.demo;

import java.util.List;

import io.loginetl.LoginEtlApplication;
import io.loginetl.bench.BenchCommand;
import io.loginetl.bench.ByHandCommands;

/**
 * {@code java -jar target/login-etl-tools.jar demo | bench ...}: the tools beside the runtime. The pipeline they
 * run is the runtime's ({@code login-etl.jar}), on in-process servers unless {@code DB_URL} says otherwise (bench).
 */
public final class Tools {

    static final String USAGE = """
            usage: java -jar login-etl-tools.jar [--help | demo | bench [--messages N] [--consumers C] [--jvm "OPTIONS"]
                                                                    [--latency-seconds S] [--sqs-delay MS]
                                            | sqs-server [--port P] [--delay MS] | load [--messages N]
                                            | drain [--messages N] [--threads T]]
              --help, -h   print this and exit
              demo         the pipeline on an in-process SQS (ElasticMQ) and PostgreSQL with generated logins (with
                           duplicates and a few bad messages): drains the queue, prints a summary, cleans up
              bench        N generated logins (default 200,000) through the pipeline (its own JVM, default options
                           -Xmx256m), then at half its rate for latency, then the baselines (bare SQS drain, COPY, a
                           naive loop) on the embedded servers, or on the configured ones when DB_URL is set;
                           --sqs-delay MS puts a proxy adding MS milliseconds each way between SQS and every
                           client the bench times (a region's round trip: 5 to 20 ms)
            The by-hand run (BENCHMARKS.md), the jar on servers it did not start:
            """ + ByHandCommands.USAGE + """
            The pipeline itself (and recover, forget, rekey) is java -jar login-etl.jar; see its --help.""";

    private Tools() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (LoginEtlApplication.isHelp(args)) {
            System.out.println(USAGE);
            return 0;
        }
        return LoginEtlApplication.reportingErrors("login-etl-tools", () -> {
            if (args.length == 1 && args[0].equals("demo")) {
                return new DemoCommand(System.out).run();
            }
            if (args.length >= 1 && args[0].equals("bench")) {
                return new BenchCommand(System.out).run(args);
            }
            if (args.length >= 1 && List.of("sqs-server", "load", "drain").contains(args[0])) {
                return new ByHandCommands(System.out).run(args);
            }
            System.err.println(USAGE);
            System.err.println("login-etl-tools: unknown arguments: " + String.join(" ", args));
            return 2;
        });
    }
}
