package io.loginetl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.loginetl.db.Schema;
import io.loginetl.db.UserLoginsTable;
import io.loginetl.routes.BatchWriterRoutes;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The writer's statement, as the batch writers run it: one per batch, several side by side on real PostgreSQL.
 * Batches that carry the same new masked values in different orders, and some of the same message ids, must wait
 * for each other, not deadlock, and every message id must make one row (the statement inserts keys in sorted order;
 * measured once with the vault's keys in arrival order instead, 7 of these 160 batches deadlocked).
 */
class ParallelBatchesIT {

    private static final int WRITERS = 4;
    private static final int ROUNDS = 40;
    private static final int ROWS = 400;
    private static final int VALUES = 300;
    /** Message ids every writer's batch of a round carries too (a message redelivered into parallel batches). */
    private static final int SHARED = 20;

    @Test
    @Timeout(300)
    void parallelBatchesSharingNewVaultValuesNeverDeadlockAndEachMessageIsOneRow() throws Exception {
        try (Fixture f = new Fixture()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(f.jdbcUrl);
            dataSource.setUser(f.servers.dbUser());
            dataSource.setPassword(f.servers.dbPassword());
            Schema.migrate(f.jdbcUrl, f.servers.dbUser(), f.servers.dbPassword());
            UserLoginsTable table = UserLoginsTable.inspect(dataSource);
            String query = BatchWriterRoutes.insert(table.appVersionType());
            String named = query.replace(":#", ":?");
            String jdbc = query.replaceAll(":#\\w+", "?");
            int parameters = (int) jdbc.chars().filter(ch -> ch == '?').count();
            var strategy = BatchWriterRoutes.statementStrategy(table.appVersionType()); // the writer's own binding

            AtomicInteger deadlocks = new AtomicInteger();
            CyclicBarrier together = new CyclicBarrier(WRITERS);
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    Random random = new Random(writer);
                    try (Connection c = dataSource.getConnection()) {
                        for (int round = 0; round < ROUNDS; round++) {
                            List<Map<String, Object>> rows = new ArrayList<>();
                            for (int i = 0; i < ROWS; i++) {
                                // values new in this round, shared by every writer, each in its own order
                                String id = i < SHARED ? "shared-r" + round + "-" + i : "w" + writer + "-r" + round + "-" + i;
                                rows.add(row(id, "ip-" + round + "-" + random.nextInt(VALUES),
                                        "dev-" + round + "-" + random.nextInt(VALUES)));
                            }
                            rows.add(new LinkedHashMap<>(rows.get(ROWS - 1))); // and one message twice in the batch
                            Collections.shuffle(rows, random);
                            Iterator<?> values = strategy.createPopulateIterator(named, jdbc, parameters,
                                    new DefaultExchange(new DefaultCamelContext()), rows);
                            together.await(60, TimeUnit.SECONDS);
                            try (PreparedStatement ps = c.prepareStatement(jdbc)) {
                                for (int p = 1; values.hasNext(); p++) {
                                    ps.setObject(p, values.next());
                                }
                                ps.executeUpdate();
                            } catch (java.sql.SQLException e) {
                                if (!"40P01".equals(e.getSQLState())) {
                                    throw e;
                                }
                                deadlocks.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            writers.shutdown();
            for (Future<?> d : done) {
                d.get(3, TimeUnit.MINUTES);
            }

            assertEquals(0, deadlocks.get(), "batches deadlocked");
            try (Connection c = f.db(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM user_logins), (SELECT count(*) FROM login_etl_vault)")) {
                rs.next();
                // one row per distinct message id: shared ids once, the message sent twice once
                assertEquals(ROUNDS * (SHARED + WRITERS * (ROWS - SHARED)), rs.getLong(1));
                // every distinct masked value once (up to VALUES ips and VALUES device ids a round)
                try (Statement s2 = c.createStatement(); ResultSet distinct = s2.executeQuery(
                        "SELECT count(DISTINCT masked_ip) + count(DISTINCT masked_device_id) FROM user_logins")) {
                    distinct.next();
                    assertEquals(distinct.getLong(1), rs.getLong(2));
                }
            }
        }
    }

    private static Map<String, Object> row(String messageId, String maskedIp, String maskedDeviceId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sqs_message_id", messageId);
        row.put("user_id", "u-" + messageId);
        row.put("device_type", "android");
        row.put("masked_ip", maskedIp);
        row.put("masked_device_id", maskedDeviceId);
        row.put("locale", null);
        row.put("app_version", 2003000);
        row.put("create_date", LocalDate.of(2026, 11, 22));
        row.put("vault_key_id", "k1");
        row.put("vault_ip", new byte[] {1, 2, 3});
        row.put("vault_device_id", new byte[] {4, 5, 6});
        return row;
    }
}
