package io.loginetl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link LoginEtl#settings}, the reader of the commands that run no routes, resolves a key as camel-main does for
 * the pipeline: a profile's file first, then application.properties (its defaults written once), a -D over both.
 */
class LoginEtlSettingsTest {

    @Test
    void aProfileComesFirstThenApplicationPropertiesAndASystemPropertyOverridesBoth() {
        assertEquals(Map.of("batch.size", "500"), LoginEtl.settings(null, "batch.size"));
        assertEquals(Map.of("batch.size", "7"), LoginEtl.settings("settingstest", "batch.size"));
        System.setProperty("batch.size", "9");
        try {
            assertEquals(Map.of("batch.size", "9"), LoginEtl.settings("settingstest", "batch.size"));
        } finally {
            System.clearProperty("batch.size");
        }
    }

    @Test
    void theProfileCamelMainWouldUseIsTheOneReadWhenNoCodeNamesOne() {
        System.setProperty("camel.main.profile", "settingstest");
        try {
            assertEquals(Map.of("batch.size", "7"), LoginEtl.settings(null, "batch.size"));
        } finally {
            System.clearProperty("camel.main.profile");
        }
    }
}
