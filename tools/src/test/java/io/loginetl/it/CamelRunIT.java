package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The README's {@code camel run} line, as written, with {@code bin/} in front (contract: {@code bin/camel}), against
 * ElasticMQ and PostgreSQL. The first run in a fresh Maven repository resolves the CLI and downloads what the line
 * names, hence the long timeout.
 */
class CamelRunIT {

    private static final Path README = Path.of("docs/run-modes.md");
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- camel-run-line:[^\\n]*-->\\s*```sh\\n(.*?)```\\s*<!-- camel-run-line: end -->", Pattern.DOTALL);

    /** The one {@code camel run ...} command of the README's marked block, continuation lines joined. */
    static String readmeCamelRunLine() throws IOException {
        Matcher block = BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
        assertTrue(block.find(), "README.md has no camel-run-line block");
        List<String> commands = new ArrayList<>();
        for (String command : block.group(1).replaceAll("\\s*\\\\\\n\\s*", " ").split("\\n")) {
            if (command.startsWith("camel run ")) {
                commands.add(command.trim());
            }
        }
        assertEquals(1, commands.size(), "the README block should show exactly one camel run line: " + commands);
        return commands.get(0);
    }

    @Test
    void theReadmesCamelRunLineWithBinInFrontDrainsAQueueIntoPostgresqlAndExitsZeroWhenIdle() throws Exception {
        String line = readmeCamelRunLine();
        List<String> logins = Fixture.logins("cli", 50);
        List<String> bodies = new ArrayList<>(logins);
        bodies.add("{\"user_id\": not json");
        try (Fixture f = new Fixture()) {
            f.send(bodies);
            Map<String, String> env = f.environment();
            env.put("CAMEL_MAIN_DURATIONMAXIDLESECONDS", "5");
            // /observe/* on a port of its own rather than 8080
            env.put("JAVA_TOOL_OPTIONS", "-Dcamel.management.port=" + io.loginetl.demo.EmbeddedServers.freePort());

            long started = System.nanoTime();
            Run run = run("bin/" + line, env, 900);
            System.out.printf("CamelRunIT: `bin/%s` exited %d after %d s%n", line, run.exit,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

            assertEquals(0, run.exit, run.output);
            assertEquals(50, f.rows(), run.output);
            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(DISTINCT user_id) FROM user_logins WHERE user_id LIKE 'cli-%'")) {
                rs.next();
                assertEquals(50, rs.getLong(1));
            }
            assertEquals(0, f.onQueue(f.queueUrl), "messages left on the source queue");
            List<Message> deadLetters = f.drainDeadLetters();
            assertEquals(1, deadLetters.size());
            assertTrue(deadLetters.get(0).messageAttributes().containsKey("error_reason"));
            assertTrue(run.output.contains("summary: 51 messages received, 50 rows written, 0 redeliveries skipped, 1 dead letters"), run.output);
            assertTrue(run.output.contains("Camel JBang") || run.output.contains("(JBang)"), "not run by Camel JBang");
            for (String login : logins) {
                String ip = login.replaceAll(".*\"ip\":\"([^\"]+)\".*", "$1");
                assertFalse(run.output.contains(ip), "raw ip printed: " + ip.charAt(0) + "...");
            }
            assertFalse(run.output.contains(Fixture.MASKING_KEY), "the masking key was printed");
        }
    }

    @Test
    void binCamelIsTheProjectsCamelVersion() throws Exception {
        Pattern version = Pattern.compile("<camel\\.version>([^<]+)</camel\\.version>");
        Matcher project = version.matcher(Files.readString(Path.of("pom.xml")));
        Matcher cli = version.matcher(Files.readString(Path.of("bin/camel-cli/pom.xml")));
        assertTrue(project.find() && cli.find());
        assertEquals(project.group(1), cli.group(1), "bin/camel-cli/pom.xml must use the project's Camel version");

        Run run = run("bin/camel version", Map.of(), 600);

        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("Camel JBang version: " + project.group(1)), run.output);
    }

    private record Run(int exit, String output) {
    }

    /**
     * Runs a command line with bash in the project directory (so the README's glob expands as in a shell), with only
     * the given contract variables, output and errors in one file.
     */
    private static Run run(String commandLine, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", commandLine).directory(new File("."));
        JarProcess.CONTRACT_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        // the local Maven repository this build uses (CI rehearsals pass a fresh one), for bin/camel's resolution
        // and for what camel run downloads
        String repo = System.getProperty("maven.repo.local");
        String mavenOpts = pb.environment().getOrDefault("MAVEN_OPTS", "");
        if (repo != null && !repo.isBlank() && !mavenOpts.contains("-Dmaven.repo.local=")) {
            pb.environment().put("MAVEN_OPTS", (mavenOpts + " -Dmaven.repo.local=" + repo).trim());
        }
        File out = File.createTempFile("camel-run", ".out");
        try {
            pb.redirectErrorStream(true).redirectOutput(out);
            Process process = pb.start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + commandLine + "\n"
                            + Files.readString(out.toPath(), StandardCharsets.UTF_8));
                }
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
            return new Run(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }
}
