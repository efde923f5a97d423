package io.loginetl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginetl.masking.PiiMasker;
import io.loginetl.sqs.SqsClients;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The take-home script the pipeline is held against: one message at a time, parse, mask, one insert and commit,
 * one delete. The bench runs it in a JVM of its own, like the pipeline and the drain.
 */
public final class NaiveLoop {

    private NaiveLoop() {
    }

    /**
     * Handles {@code warmUp + messages} messages into {@code naive_baseline} (created LIKE user_logins); returns the
     * messages per second of the last {@code messages}: the loop is timed warm, which is its best case.
     */
    static double run(SqsClient sqs, String queueUrl, Connection c, int warmUp, int messages, byte[] maskingKey) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS naive_baseline (LIKE user_logins)");
        }
        c.setAutoCommit(true);
        ObjectMapper json = new ObjectMapper();
        PiiMasker masker = new PiiMasker(maskingKey);
        int done = -warmUp;
        long start = System.nanoTime(); // set again when the warm-up ends
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO naive_baseline (user_id, device_type, masked_ip,"
                + " masked_device_id, locale, create_date) VALUES (?, ?, ?, ?, ?, current_date)")) {
            while (done < messages) {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(1)).messages()) {
                    Map<?, ?> login = json.readValue(m.body(), Map.class);
                    insert.setString(1, (String) login.get("user_id"));
                    insert.setString(2, (String) login.get("device_type"));
                    insert.setString(3, masker.maskIp((String) login.get("ip")));
                    insert.setString(4, masker.maskDeviceId((String) login.get("device_id")));
                    insert.setString(5, (String) login.get("locale"));
                    insert.executeUpdate();
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    if (++done == 0) {
                        start = System.nanoTime();
                    }
                }
            }
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * {@code java -cp login-etl.jar io.loginetl.bench.NaiveLoop QUEUE_URL WARM_UP MESSAGES}, with the SQS and database of the
     * contract's variables (DB_URL naming the schema to write in); prints {@code naive R messages/s}.
     */
    public static void main(String[] args) throws Exception {
        String user = System.getenv().getOrDefault("DB_USER", "");
        String password = System.getenv().getOrDefault("DB_PASSWORD", "");
        try (SqsClient sqs = SqsClients.fromEnvironment();
             Connection c = DriverManager.getConnection(System.getenv("DB_URL"), user.isBlank() ? null : user,
                     password.isBlank() ? null : password)) {
            double rate = run(sqs, args[0], c, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    java.util.Base64.getDecoder().decode(System.getenv("PII_MASKING_KEY")));
            System.out.printf("naive %.3f messages/s%n", rate);
        }
    }
}
