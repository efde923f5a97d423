package io.loginetl.bench;

import java.util.List;

/**
 * {@code bench [--messages N] [--consumers C] [--jvm "OPTIONS"] [--latency-seconds S] [--sqs-delay MS]};
 * {@code --sqs-delay} is the one-way delay, in milliseconds, that a proxy adds between every client and SQS.
 * {@code consumers} is 0 unless given: the pipeline then runs with its own default.
 */
record BenchOptions(int messages, int consumers, List<String> jvm, int latencySeconds, int sqsDelayMillis) {

    static final String USAGE = "[--messages N] [--consumers C] [--jvm \"OPTIONS\"] [--latency-seconds S] [--sqs-delay MS]";

    static BenchOptions parse(String[] args) {
        int messages = 200_000;
        int consumers = 0;
        String jvm = "-Xmx256m";
        int latencySeconds = 20;
        int sqsDelay = 0;
        for (int i = 1; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("bench: " + args[i] + " needs a value");
            }
            String value = args[i + 1].replace("_", "");
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(value);
                case "--consumers" -> {
                    consumers = Integer.parseInt(value);
                    if (consumers < 1) {
                        throw new IllegalArgumentException("bench: --consumers must be at least 1");
                    }
                }
                case "--jvm" -> jvm = args[i + 1];
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(value);
                case "--sqs-delay" -> sqsDelay = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("bench takes " + USAGE + ", not " + args[i]);
            }
            i++;
        }
        if (messages < 1 || latencySeconds < 1 || sqsDelay < 0) {
            throw new IllegalArgumentException("bench: --messages and --latency-seconds must be at least 1, "
                    + "--sqs-delay at least 0");
        }
        return new BenchOptions(messages, consumers, jvm.isBlank() ? List.of() : List.of(jvm.trim().split("\\s+")), latencySeconds,
                sqsDelay);
    }
}
