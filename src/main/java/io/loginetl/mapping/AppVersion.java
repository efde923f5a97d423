package io.loginetl.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Order-preserving integer encoding of app versions: {@code major * 1,000,000 + minor * 1,000 + patch}.
 * Missing parts are zero ({@code 3.7} is 3.7.0, {@code 0.96} is 0.96.0), so {@code ORDER BY app_version} sorts
 * versions as versions. Minor and patch must be below 1,000 and the result must fit a PostgreSQL
 * {@code integer}; anything else is rejected rather than silently collided.
 */
public final class AppVersion {

    private static final Pattern VERSION = Pattern.compile("(\\d{1,10})(?:\\.(\\d{1,10}))?(?:\\.(\\d{1,10}))?");

    private AppVersion() {
    }

    /** Encodes a version string; {@code null} stays {@code null}. */
    public static Integer encode(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = VERSION.matcher(version.trim());
        if (!m.matches()) {
            throw new InvalidLoginException("app_version is not a version of the form MAJOR[.MINOR[.PATCH]]");
        }
        long major = Long.parseLong(m.group(1));
        long minor = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        long patch = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        if (minor > 999 || patch > 999) {
            throw new InvalidLoginException("app_version minor and patch must be below 1000 to fit the integer column");
        }
        long encoded = major * 1_000_000L + minor * 1_000L + patch;
        if (encoded > Integer.MAX_VALUE) {
            throw new InvalidLoginException("app_version is too large for the integer column (the highest is 2147.483.647)");
        }
        return (int) encoded;
    }

    /** The inverse of {@link #encode}, for people reading the table: 2003000 gives "2.3.0". */
    public static String decode(int encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }
}
