package io.loginetl.demo;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.loginetl.LogSettings;
import io.loginetl.LoginEtl;
import io.loginetl.routes.ErrorHandling;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@code demo}: the whole pipeline on in-process servers. Starts ElasticMQ and PostgreSQL, sends generated
 * logins (with duplicates, nulls and a few bad messages), runs the pipeline until every message is a row or a
 * dead letter, then prints what happened and the analyst's duplicate query with its result.
 */
public final class DemoCommand {

    /** The demo's settings are the profile {@value}: application-demo.properties over application.properties. */
    static final String PROFILE = "demo";
    static final int LOGINS = 300;

    static final String DUPLICATES_QUERY = """
            SELECT 'ip' AS field, masked_ip AS masked_value, count(*) AS logins
              FROM user_logins WHERE masked_ip IS NOT NULL GROUP BY masked_ip HAVING count(*) > 1
            UNION ALL
            SELECT 'device_id', masked_device_id, count(*)
              FROM user_logins WHERE masked_device_id IS NOT NULL GROUP BY masked_device_id HAVING count(*) > 1
            ORDER BY logins DESC, field, masked_value""";

    private final PrintStream out;

    public DemoCommand(PrintStream out) {
        this.out = out;
    }

    public int run() throws Exception {
        // the summary is the demo's output: Camel's and the servers' start-up lines only with LOG_LEVEL=INFO
        Map<String, String> settings = LoginEtl.settings(PROFILE, "sqs.queue", "sqs.dead-letter-queue", "log.level");
        String queue = settings.get("sqs.queue");
        String deadLetterQueue = settings.get("sqs.dead-letter-queue");
        // before the servers start, so that their start-up lines are as quiet as the pipeline's
        LogSettings.applyLevel(settings.get("log.level"));
        out.println("demo: starting an in-process SQS (ElasticMQ) and PostgreSQL");
        try (EmbeddedServers servers = EmbeddedServers.start(); SqsClient sqs = servers.newSqsClient()) {
            String queueUrl = EmbeddedServers.createQueue(sqs, queue, 30);
            String dlqUrl = EmbeddedServers.createQueue(sqs, deadLetterQueue, 30);
            List<String> messages = new ArrayList<>(SampleLogins.generate(LOGINS, 42));
            messages.addAll(SampleLogins.BAD);
            SqsQueues.send(sqs, queueUrl, messages);
            out.printf("demo: sent %d messages to %s (%d logins, %d bad on purpose)%n",
                    messages.size(), queue, LOGINS, SampleLogins.BAD.size());

            long started = System.nanoTime();
            long rows;
            int deadLetters;
            try (Connection db = DriverManager.getConnection(servers.jdbcUrl(), servers.dbUser(), servers.dbPassword());
                 LoginEtl.Running pipeline = LoginEtl.start(PROFILE, servers.pipelineProperties())) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                do {
                    Thread.sleep(200);
                    rows = count(db, "SELECT count(*) FROM user_logins");
                    deadLetters = SqsQueues.count(sqs, dlqUrl);
                } while (rows + deadLetters < messages.size() && System.nanoTime() < deadline);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            try (Connection db = DriverManager.getConnection(servers.jdbcUrl(), servers.dbUser(), servers.dbPassword())) {
                printSummary(db, sqs, queueUrl, dlqUrl, deadLetterQueue, messages.size(), seconds);
                rows = count(db, "SELECT count(*) FROM user_logins");
            }
            deadLetters = SqsQueues.count(sqs, dlqUrl);
            boolean complete = rows + deadLetters == messages.size() && SqsQueues.count(sqs, queueUrl) == 0;
            if (!complete) {
                out.println("demo: FAILED: not every message became a row or a dead letter");
            }
            return complete ? 0 : 1;
        }
    }

    private void printSummary(Connection db, SqsClient sqs, String queueUrl, String dlqUrl, String deadLetterQueue, int sent,
            double seconds)
            throws SQLException {
        out.println();
        out.println("==== login-etl demo summary ====");
        out.printf("messages sent            %d%n", sent);
        out.printf("rows written             %d   (SELECT count(*) FROM user_logins)%n",
                count(db, "SELECT count(*) FROM user_logins"));
        out.printf("left on the source queue %d%n", SqsQueues.count(sqs, queueUrl));
        Map<String, Integer> reasons = deadLetterReasons(sqs, dlqUrl);
        out.printf("dead letters             %d   (queue %s, original body kept for replay)%n",
                reasons.values().stream().mapToInt(Integer::intValue).sum(), deadLetterQueue);
        reasons.forEach((reason, n) -> out.printf("    %3d x %s%n", n, reason));
        out.printf("time                     %.1f s from pipeline start to drained%n", seconds);
        out.println();
        out.println("sample rows (ip and device_id are keyed HMAC-SHA-256; app_version is major*1e6+minor*1e3+patch):");
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM user_logins ORDER BY user_id LIMIT 3")) {
            while (rs.next()) {
                out.printf("    user_id=%s device_type=%s masked_ip=%s masked_device_id=%s locale=%s app_version=%s create_date=%s%n",
                        rs.getString("user_id"), rs.getString("device_type"), rs.getString("masked_ip"),
                        rs.getString("masked_device_id"), rs.getString("locale"), rs.getString("app_version"),
                        rs.getString("create_date"));
            }
        }
        out.println();
        out.println("the analyst's duplicate query (masked values seen more than once):");
        out.println(DUPLICATES_QUERY.indent(4).stripTrailing());
        int shown = 0;
        int total = 0;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(DUPLICATES_QUERY)) {
            while (rs.next()) {
                total++;
                if (shown++ < 8) {
                    out.printf("    %-9s  %s  %d logins%n", rs.getString(1), rs.getString(2), rs.getInt(3));
                }
            }
        }
        out.printf("    ... %d masked values in all seen more than once%n", total);
    }

    /** Reads the dead letters' reasons (never their bodies, which hold raw logins). */
    private static Map<String, Integer> deadLetterReasons(SqsClient sqs, String dlqUrl) {
        Map<String, Integer> reasons = new TreeMap<>();
        for (Message m : SqsQueues.drain(sqs, dlqUrl)) {
            MessageAttributeValue reason = m.messageAttributes().get(ErrorHandling.ERROR_REASON);
            reasons.merge(reason == null ? "(no reason)" : reason.stringValue(), 1, Integer::sum);
        }
        return reasons;
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
