package io.loginetl.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the bench starts on its own class path (the jar), with the given JVM options and environment; its output
 * goes to a file. For the pipeline: its Prometheus metrics and its resident memory, read from outside.
 */
final class ChildJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Children still running; a shutdown hook ends them if the bench itself is stopped. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "bench-children"));
    }

    private final Process process;
    private final File output;

    private ChildJvm(Process process, File output) {
        this.process = process;
        this.output = output;
    }

    static ChildJvm start(List<String> jvmOptions, Map<String, String> env, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        File output = File.createTempFile("login-etl-bench", ".out");
        output.deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        pb.environment().putAll(env);
        Process process = pb.start();
        RUNNING.add(process);
        return new ChildJvm(process, output);
    }

    /**
     * Runs a main class to its end and returns the words of its last output line that starts with {@code prefix}
     * (its result); a non-zero exit or no such line fails with the end of its output.
     */
    static String[] result(List<String> jvmOptions, Map<String, String> env, Duration timeout, String prefix, String mainClass,
            String... args) throws IOException, InterruptedException {
        try (ChildJvm jvm = start(jvmOptions, env, mainClass, args)) {
            int exit = jvm.await(timeout);
            String line = jvm.lastLineWith(prefix).trim();
            if (exit != 0 || !line.startsWith(prefix.trim())) {
                throw new IOException(mainClass + " failed (exit " + exit + "):\n" + jvm.outputTail());
            }
            return line.split(" ");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the end; returns the exit code, or throws when it takes longer than {@code timeout}. */
    int await(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IOException("gave up after " + timeout.toSeconds() + " s on " + process.info().commandLine().orElse("a JVM"));
        }
        return process.exitValue();
    }

    /** SIGTERM, as a platform would stop it, and wait for the exit. */
    int stop(Duration timeout) throws InterruptedException, IOException {
        process.destroy();
        return await(timeout);
    }

    String output() throws IOException {
        return Files.readString(output.toPath(), StandardCharsets.UTF_8);
    }

    /** The last 30 lines of the output, for an error message. */
    String outputTail() throws IOException {
        String[] all = output().split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - 30), all.length));
    }

    /** The last line of the output that contains {@code text}, or "" . */
    String lastLineWith(String text) throws IOException {
        String found = "";
        for (String line : output().split("\n")) {
            if (line.contains(text)) {
                found = line;
            }
        }
        return found;
    }

    /** A figure of {@code /proc/PID/status} in MB (VmRSS now, VmHWM the peak), or -1 where there is no /proc. */
    long memoryMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or already gone
        }
        return -1;
    }

    /** Ends it if it still runs and waits for the end, so nothing of it outlives the step that started it. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
        output.delete();
    }

    /** Prometheus text from {@code url}, or "" while the endpoint is not up. */
    static String scrape(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of the samples named {@code name} whose labels contain {@code labels} (may be ""). */
    static double sample(String metrics, String name, String labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String rest = line.substring(name.length());
                if (rest.contains(labels)) {
                    sum += Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    /** The cumulative buckets of histogram {@code name}: upper bound in seconds to count ({@code +Inf} as infinity). */
    static TreeMap<Double, Double> buckets(String metrics, String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        String prefix = name + "_bucket{";
        for (String line : metrics.split("\n")) {
            int le = line.indexOf("le=\"");
            if (line.startsWith(prefix) && le > 0) {
                String bound = line.substring(le + 4, line.indexOf('"', le + 4));
                buckets.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return buckets;
    }

    /**
     * The {@code q} quantile of what a histogram counted between two scrapes, interpolated within the bucket the
     * way Prometheus' {@code histogram_quantile} does; NaN when nothing was counted.
     */
    static double quantile(double q, TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // above the largest finite bound: that bound is all one can say
                }
                return lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / Math.max(1e-9, count - lowerCount);
            }
            lowerBound = bucket.getKey();
            lowerCount = count;
        }
        return lowerBound;
    }
}
