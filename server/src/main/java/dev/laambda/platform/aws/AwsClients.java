package dev.laambda.platform.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The AWS SDK clients Laambda uses, one per service and region, made on first use and kept: each holds its
 * connections and its retry budget. All go through the JDK's URL connection (one HTTP client for the server),
 * take credentials from the given provider (the SDK's default chain on a real server) and, with an endpoint,
 * talk to that AWS-compatible server instead of AWS.
 */
public final class AwsClients implements AutoCloseable {

    /** Attempts per call, the first included: throttling (429) and 5xx are retried with the SDK's backoff. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    private record Key(String service, String region) {
    }

    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials;
    private final int maxAttempts;
    private final SdkHttpClient http;
    private final Map<Key, SdkClient> clients = new ConcurrentHashMap<>();

    public AwsClients(Optional<URI> endpoint, AwsCredentialsProvider credentials, int maxAttempts) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.maxAttempts = maxAttempts;
        // A synchronous Invoke waits for the function, which may run 15 minutes: reads must wait longer than that.
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(16))
                .build();
    }

    /** Credentials from the SDK's default chain: environment, profile, container or instance role. */
    public static AwsClients withDefaultCredentials(Optional<URI> endpoint) {
        return new AwsClients(endpoint, DefaultCredentialsProvider.builder().build(), DEFAULT_MAX_ATTEMPTS);
    }

    public LambdaClient lambda(String region) {
        return client("lambda", region, LambdaClient.class, LambdaClient::builder);
    }

    public IamClient iam(String region) {
        return client("iam", region, IamClient.class, IamClient::builder);
    }

    public KmsClient kms(String region) {
        return client("kms", region, KmsClient.class, KmsClient::builder);
    }

    public CloudWatchLogsClient logs(String region) {
        return client("logs", region, CloudWatchLogsClient.class, CloudWatchLogsClient::builder);
    }

    public CloudWatchClient cloudWatch(String region) {
        return client("monitoring", region, CloudWatchClient.class, CloudWatchClient::builder);
    }

    public EventBridgeClient eventBridge(String region) {
        return client("events", region, EventBridgeClient.class, EventBridgeClient::builder);
    }

    /** Path-style addressing with an endpoint: an AWS-compatible server on loopback has no bucket host names. */
    public S3Client s3(String region) {
        return client("s3", region, S3Client.class, () -> S3Client.builder().forcePathStyle(endpoint.isPresent()));
    }

    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>>
            C client(String service, String region, Class<C> type, Supplier<B> builders) {
        return type.cast(clients.computeIfAbsent(new Key(service, region), key -> {
            B builder = builders.get()
                    .region(Region.of(region))
                    .credentialsProvider(credentials)
                    .overrideConfiguration(override -> override.retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build()))
                    .httpClient(http);
            endpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        }));
    }

    @Override
    public void close() {
        clients.values().forEach(SdkClient::close);
        clients.clear();
        http.close();
    }
}
