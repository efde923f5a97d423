package io.loginetl;

/** A setting that is missing or wrong. Printed as one line naming the setting; the process exits with 2. */
public final class ConfigurationException extends RuntimeException {

    private final String setting;

    public ConfigurationException(String setting, String problem) {
        super(setting + " " + problem, null, false, false);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
