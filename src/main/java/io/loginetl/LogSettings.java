package io.loginetl;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** LOG_FORMAT and LOG_LEVEL applied to log4j2 at start (not when embedded: the application's logging is its own). */
public final class LogSettings {

    private LogSettings() {
    }

    /** log4j2.xml picks the layout from LOG_FORMAT, or from the system property log.format set here. */
    static void applyFormat(String logFormat) {
        String format = logFormat.isBlank() ? "plain" : logFormat.trim().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("plain") && !format.equals("json")) {
            throw new ConfigurationException("LOG_FORMAT", "is '" + logFormat + "'; use plain or json");
        }
        // log4j2.xml already chose JSON when LOG_FORMAT is exactly "json"; otherwise choose here
        if (!format.equals(System.getProperty("log.format", "plain")) && !"json".equals(System.getenv("LOG_FORMAT"))) {
            System.setProperty("log.format", format);
            org.apache.logging.log4j.core.LoggerContext logging =
                    (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
            logging.reconfigure();
        }
    }

    public static void applyLevel(String logLevel) {
        if (logLevel.isBlank()) {
            return;
        }
        Level level = Level.toLevel(logLevel.trim(), null);
        if (level == null) {
            throw new ConfigurationException("LOG_LEVEL", "is '" + logLevel + "'; use one of ERROR, WARN, INFO, DEBUG, TRACE");
        }
        Configurator.setRootLevel(level);
    }
}
