package io.loginetl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's configuration reference and application.properties say the same: every setting, variable and default. */
class ConfigurationReferenceTest {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Z0-9_]+):(.*)}}");

    @Test
    void everySettingIsDocumentedWithItsVariableAndDefaultAndNothingElseIs() throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        Map<String, String[]> documented = readmeTable();

        TreeSet<String> undocumented = new TreeSet<>(file.stringPropertyNames());
        undocumented.removeAll(documented.keySet());
        TreeSet<String> notInFile = new TreeSet<>(documented.keySet());
        notInFile.removeAll(file.stringPropertyNames());
        assertEquals("", String.join(", ", undocumented), "settings of application.properties missing from the README");
        assertEquals("", String.join(", ", notInFile), "settings in the README that application.properties does not have");

        for (String key : file.stringPropertyNames()) {
            String value = file.getProperty(key);
            Matcher env = ENV.matcher(value);
            String variable;
            String defaultValue;
            if (env.matches()) {
                variable = env.group(1);
                defaultValue = env.group(2);
            } else {
                variable = key.startsWith("camel.main.")
                        ? "CAMEL_MAIN_" + key.substring("camel.main.".length()).replace("-", "").replace('.', '_').toUpperCase() : "—";
                defaultValue = value;
            }
            String[] row = documented.get(key);
            assertEquals(variable, row[0], "variable of " + key);
            assertEquals(defaultValue.isEmpty() ? "empty" : defaultValue, row[1], "default of " + key);
            assertFalse(row[2].isBlank(), "no meaning given for " + key);
        }
    }

    /** setting -> {variable, default, meaning}, from the table between the README's markers, backticks removed. */
    private static Map<String, String[]> readmeTable() throws IOException {
        String readme = Files.readString(Path.of("docs/configuration.md"));
        String begin = "<!-- configuration-reference: begin -->";
        String table = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf("<!-- configuration-reference: end -->"));
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : table.strip().split("\n")) {
            String[] cells = line.split("\\|", -1);
            String key = unquote(cells[1]);
            if (key.equals("setting") || key.startsWith("---")) {
                continue;
            }
            if (rows.put(key, new String[] {unquote(cells[2]), unquote(cells[3]), cells[4].strip()}) != null) {
                throw new AssertionError(key + " is documented twice");
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        return s.length() >= 2 && s.startsWith("`") && s.endsWith("`") ? s.substring(1, s.length() - 1) : s;
    }
}
