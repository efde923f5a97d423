package io.loginetl.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code target/login-etl.jar} (or, for the demo and the bench, {@code target/login-etl-tools.jar}) in its own JVM,
 * with only the environment a test gives it.
 */
final class JarProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/login-etl.jar").toAbsolutePath();
    static final Path TOOLS_JAR = Path.of("target/login-etl-tools.jar").toAbsolutePath();
    static final List<String> CONTRACT_VARIABLES = List.of("SQS_ENDPOINT", "SQS_QUEUE", "SQS_DEAD_LETTER_QUEUE",
            "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DB_URL", "DB_USER", "DB_PASSWORD",
            "PII_MASKING_KEY", "PII_VAULT_KEY", "LOG_LEVEL", "LOG_FORMAT", "CAMEL_MAIN_DURATIONMAXIDLESECONDS");

    record Result(int exit, String out, String err) {
    }

    private final Process process;
    private final File out;
    private final File err;

    private JarProcess(Process process, File out, File err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the jar. {@code jvmOptions} are {@code -Dname=value} settings (they override application.properties),
     * {@code args} the jar's command line.
     */
    static JarProcess start(Map<String, String> env, Path workingDirectory, List<String> jvmOptions, String... args)
            throws IOException {
        return start(JAR, env, workingDirectory, jvmOptions, args);
    }

    /** Starts {@code target/login-etl-tools.jar} (demo, bench). */
    static JarProcess startTools(Map<String, String> env, Path workingDirectory, List<String> jvmOptions, String... args)
            throws IOException {
        return start(TOOLS_JAR, env, workingDirectory, jvmOptions, args);
    }

    private static JarProcess start(Path jar, Map<String, String> env, Path workingDirectory, List<String> jvmOptions,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dcamel.management.port="))) {
            // /observe/* on a port of its own, so jars side by side (and anything on 8080) never clash
            command.add("-Dcamel.management.port=" + io.loginetl.demo.EmbeddedServers.freePort());
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        CONTRACT_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        File out = File.createTempFile("login-etl", ".out");
        File err = File.createTempFile("login-etl", ".err");
        pb.redirectOutput(out).redirectError(err);
        return new JarProcess(pb.start(), out, err);
    }

    /** Runs the jar to its end. */
    static Result run(Map<String, String> env, Path workingDirectory, int timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        try (JarProcess p = start(env, workingDirectory, List.of(), args)) {
            return p.await(timeoutSeconds);
        }
    }

    /** Runs the tools jar to its end. */
    static Result runTools(Map<String, String> env, Path workingDirectory, int timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        try (JarProcess p = startTools(env, workingDirectory, List.of(), args)) {
            return p.await(timeoutSeconds);
        }
    }

    /** Waits for the end and returns what it printed (the capture files are deleted). */
    Result await(int timeoutSeconds) throws IOException, InterruptedException {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + process.info().commandLine().orElse("")
                        + "\n" + Files.readString(out.toPath()));
            }
            return new Result(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    /** What it has printed on standard output so far. */
    String output() throws IOException {
        return Files.readString(out.toPath(), StandardCharsets.UTF_8);
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no flush, no delete. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Never leaves a process behind, whatever the test did. */
    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            kill();
        }
        Files.deleteIfExists(out.toPath());
        Files.deleteIfExists(err.toPath());
    }
}
