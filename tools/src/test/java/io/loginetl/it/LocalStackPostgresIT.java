package io.loginetl.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.loginetl.LoginEtl;
import io.loginetl.demo.EmbeddedServers;
import io.loginetl.sqs.SqsClients;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The assignment's own infrastructure, LocalStack SQS and PostgreSQL 10, in containers. Needs a Docker engine:
 * where there is none, JUnit reports this class as skipped ("disabledWithoutDocker"), and the same behaviour
 * is covered on real in-process servers by {@link PipelineIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackPostgresIT {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
            .withServices(LocalStackContainer.Service.SQS);

    @Container
    static final PostgreSQLContainer<?> POSTGRES = new PostgreSQLContainer<>(DockerImageName.parse("postgres:10"));

    @Test
    void drainsLocalStackSqsIntoPostgres10() throws Exception {
        String endpoint = LOCALSTACK.getEndpoint().toString();
        try (SqsClient sqs = SqsClients.create(endpoint, LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())) {
            String queueUrl = EmbeddedServers.createQueue(sqs, "login-queue", 30);
            EmbeddedServers.createQueue(sqs, "login-queue-dlq", 30);
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                bodies.add("{\"user_id\":\"u-%d\",\"app_version\":\"2.3.0\",\"ip\":\"10.0.0.%d\",\"device_id\":\"d-%d\"}".formatted(i, i % 5, i % 3));
            }
            bodies.add("{\"foo\":\"oops\",\"bar\":\"123\"}");
            for (String body : bodies) {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
            }

            Properties settings = new Properties();
            settings.setProperty("sqs.endpoint", endpoint);
            settings.setProperty("aws.region", LOCALSTACK.getRegion());
            settings.setProperty("aws.access-key", LOCALSTACK.getAccessKey());
            settings.setProperty("aws.secret-key", LOCALSTACK.getSecretKey());
            settings.setProperty("db.url", POSTGRES.getJdbcUrl());
            settings.setProperty("db.user", POSTGRES.getUsername());
            settings.setProperty("db.password", POSTGRES.getPassword());
            settings.setProperty("pii.masking.secret", Fixture.MASKING_KEY);
            try (LoginEtl.Running pipeline = LoginEtl.start(settings)) {
                await().atMost(120, SECONDS).until(() -> rows() == 25);
            }
            assertEquals(25, rows());
        }
    }

    private static long rows() {
        try (Connection c = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM user_logins")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }
}
