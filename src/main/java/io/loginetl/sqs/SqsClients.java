package io.loginetl.sqs;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the one {@link SqsClient} the application shares (consumer, dead letters, batch deletes). */
public final class SqsClients {

    private SqsClients() {
    }

    /**
     * @param endpoint  API base URL override (LocalStack, ElasticMQ); blank means AWS for the region
     * @param region    AWS region
     * @param accessKey explicit access key id; blank means the default AWS credential chain
     * @param secretKey explicit secret access key
     */
    public static SqsClient create(String endpoint, String region, String accessKey, String secretKey) {
        var builder = SqsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials(accessKey, secretKey))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** The client the contract's variables describe: SQS_ENDPOINT, AWS_REGION (default us-east-1), AWS credentials. */
    public static SqsClient fromEnvironment() {
        String region = env("AWS_REGION");
        return create(env("SQS_ENDPOINT"), region.isBlank() ? "us-east-1" : region, env("AWS_ACCESS_KEY_ID"),
                env("AWS_SECRET_ACCESS_KEY"));
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        if (accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
