package io.loginetl;


import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.loginetl.masking.PiiMasker;
import io.loginetl.vault.RandomKeys;
import io.loginetl.vault.VaultKeys;

/**
 * The pipeline's two beans that are made from secrets and addresses, each from the settings it is given: the masker
 * (with the vault's keys) and the database pool. A missing or weak setting is a {@link ConfigurationException}
 * naming its variable.
 */
final class PipelineBeans {

    private PipelineBeans() {
    }

    /** The masker: PII_MASKING_KEY (base64 of at least 32 random bytes, required) and, when set, the vault's PII_VAULT_KEY. */
    static PiiMasker masker(String maskingKey, String vaultKey) {
        if (maskingKey.isBlank()) {
            throw new ConfigurationException("PII_MASKING_KEY",
                    "is not set: the pipeline refuses to run without a masking key, base64 of at least 32 random bytes "
                            + "(for example: export PII_MASKING_KEY=$(openssl rand -base64 32))");
        }
        byte[] key;
        try {
            key = RandomKeys.decode(maskingKey);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("PII_MASKING_KEY", e.getMessage());
        }
        return new PiiMasker(key, vaultKeys(vaultKey));
    }

    private static VaultKeys vaultKeys(String vaultKey) {
        var log = org.slf4j.LoggerFactory.getLogger(LoginEtlConfiguration.class);
        if (vaultKey.isBlank()) {
            log.warn("PII_VAULT_KEY is not set: no vault is kept, so the originals of masked values cannot be recovered later");
            return null;
        }
        try {
            VaultKeys keys = VaultKeys.parse(vaultKey);
            log.info("vault on: originals are kept encrypted under vault key {}", keys.newestId());
            return keys;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("PII_VAULT_KEY", e.getMessage());
        }
    }

    /** The pool the batches are written through (DB_URL, DB_USER, DB_PASSWORD, db.pool-size, db.connection-timeout). */
    static HikariDataSource dataSource(String dbUrl, String dbUser, String dbPassword, int poolSize, long connectionTimeout) {
        if (dbUrl.isBlank()) {
            throw new ConfigurationException("DB_URL",
                    "is not set: give the JDBC URL of the target PostgreSQL, e.g. jdbc:postgresql://localhost:5432/postgres");
        }
        StartupChecks.checkDbUrl(dbUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("login-etl");
        config.setJdbcUrl(dbUrl);
        // named, not found through DriverManager: under `camel run` the driver comes with --dep into a child
        // class loader, whose drivers DriverManager neither registers nor lets HikariCP see
        config.setDriverClassName("org.postgresql.Driver");
        if (!dbUser.isBlank()) {
            config.setUsername(dbUser);
        }
        if (!dbPassword.isBlank()) {
            config.setPassword(dbPassword);
        }
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout);
        // the pool must not fail the start: the table check below reports an unreachable database in one line
        config.setInitializationFailTimeout(-1);
        // a database that stops answering without refusing must fail a write, not hang it: the retry and the
        // pause depend on an exception
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("options", "-c statement_timeout=30000");
        config.addDataSourceProperty("ApplicationName", "login-etl");
        return new HikariDataSource(config);
    }
}
