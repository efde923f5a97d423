package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import io.loginetl.ConfigurationException;
import org.junit.jupiter.api.Test;

/** A setting that is missing, weak or wrong stops the start with one error naming that setting and the real cause. */
class StartupChecksIT {

    @Test
    void refusesToStartWithoutAMaskingKeyOfAtLeast32RandomBytes() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("pii.masking.secret", "");
            assertEquals("PII_MASKING_KEY", Fixture.startRefusal(settings).setting());
            settings.setProperty("pii.masking.secret", "a".repeat(44)); // 33 bytes, a pattern of 3
            ConfigurationException e = Fixture.startRefusal(settings);
            assertEquals("PII_MASKING_KEY repeats a pattern of 3 bytes, not random bytes (generate one with: openssl rand -base64 32)",
                    e.getMessage());
            settings.setProperty("pii.masking.secret", "integration-test-masking-key-0123456789"); // the passphrase the tests used to use
            assertEquals("PII_MASKING_KEY is not base64 (generate one with: openssl rand -base64 32)", Fixture.startRefusal(settings).getMessage());
        }
    }

    @Test
    void namesDbUrlWhenItIsMissingOrTheDatabaseCannotBeReached() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("db.url", "");
            assertEquals("DB_URL", Fixture.startRefusal(settings).setting());
            settings.setProperty("db.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
            settings.setProperty("db.connection-timeout", "1000");
            ConfigurationException e = Fixture.startRefusal(settings);
            assertEquals("DB_URL", e.setting());
            // the driver's cause, not the pool's "Connection is not available, request timed out after ..."
            assertTrue(e.getMessage().startsWith("DB_URL cannot be used: Connection to 127.0.0.1:1 refused"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(ConnectException: Connection refused) (SQLState 08001)"), e.getMessage());
            // the server refuses the user (SQLState class 28): the credentials are the setting to fix, not the URL
            settings.setProperty("db.url", f.jdbcUrl);
            settings.setProperty("db.user", "no_such_role");
            ConfigurationException user = Fixture.startRefusal(settings);
            assertEquals("DB_USER", user.setting());
            assertTrue(user.getMessage().startsWith("DB_USER (with DB_PASSWORD) is refused by the database at DB_URL: "
                    + "FATAL: role \"no_such_role\" does not exist"), user.getMessage());
            settings.setProperty("db.user", f.servers.dbUser());
            // a password in the URL would be printed by Camel's startup summary: refused before anything is printed
            settings.setProperty("db.url", f.jdbcUrl + "?user=postgres&Password=hunter2-in-the-url");
            ConfigurationException inUrl = Fixture.startRefusal(settings);
            assertEquals("DB_URL", inUrl.setting());
            assertTrue(inUrl.getMessage().contains("carries a password"), inUrl.getMessage());
            assertFalse(inUrl.getMessage().contains("hunter2"), inUrl.getMessage());
        }
    }

    @Test
    void namesTheSqsSettingActuallyGivenAndTheRealCauseWhenAQueueCannotBeFound() throws Exception {
        try (Fixture f = new Fixture()) {
            Properties settings = f.settings();
            settings.setProperty("sqs.queue", "no-such-queue");
            ConfigurationException missing = Fixture.startRefusal(settings);
            assertEquals("SQS_QUEUE names queue 'no-such-queue', which does not exist at SQS_ENDPOINT "
                    + f.servers.sqsEndpoint(), missing.getMessage());

            settings.setProperty("sqs.endpoint", "http://127.0.0.1:1");
            ConfigurationException refused = Fixture.startRefusal(settings);
            assertEquals("SQS_ENDPOINT", refused.setting());
            assertTrue(refused.getMessage().startsWith("SQS_ENDPOINT is http://127.0.0.1:1, where SQS cannot be reached to "
                    + "look up SQS_QUEUE 'no-such-queue': ConnectException"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        }
    }
}
