package io.loginetl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The runtime's rooms, top to bottom: {@code io.loginetl} (the application: commands, configuration, start-up)
 * uses the rest; the routes use the steps they run; each step package uses only what is below it. A class that
 * reaches up (a route into the configuration, the mapping into the routes) fails this test.
 */
class PackageLayersTest {

    /** What each package may use besides itself; the top package may use everything. */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "routes", Set.of("db", "mapping", "metrics", "masking", "sqs", "vault"),
            "sqs", Set.of("metrics"),
            "metrics", Set.of("mapping"),
            "mapping", Set.of("db"),
            "masking", Set.of("vault"),
            "db", Set.of(),
            "vault", Set.of());
    private static final Path MAIN = Path.of("src/main/java/io/loginetl");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.loginetl\\.(?:([a-z]+)\\.)?[A-Z*]");

    @Test
    void noPackageUsesOneAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path dir = MAIN.relativize(file.getParent());
                String pkg = dir.toString().isEmpty() ? "" : dir.toString().replace('/', '.');
                if (pkg.isEmpty()) {
                    continue; // the top may use everything
                }
                Set<String> allowed = MAY_USE.get(pkg);
                if (allowed == null) {
                    upward.add(pkg + ": a package this test does not place; add it to MAY_USE");
                    continue;
                }
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String used = m.group(1) == null ? "io.loginetl" : m.group(1);
                    if (!used.equals(pkg) && !allowed.contains(used)) {
                        upward.add(MAIN.relativize(file) + " uses " + (m.group(1) == null ? "io.loginetl" : "io.loginetl." + used));
                    }
                }
            }
        }
        assertEquals(List.of(), upward.stream().distinct().toList());
    }
}
