package dev.laambda.testing;

import dev.laambda.ServerConfig;
import dev.laambda.platform.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A real moto server (an AWS-compatible server from PyPI) on a free loopback port, one per test class, with
 * Lambda's Docker-less backend: invokes echo their payload. `./run-tests` installs it (scripts/moto-server) and
 * sets LAAMBDA_TEST_MOTO to its moto_server and LAAMBDA_TESTS_REQUIRE_MOTO=1, so there a missing moto fails the
 * test; elsewhere the tests that need it are skipped unless `scripts/moto-server --install` was run.
 */
public final class MotoServer implements AutoCloseable {

    /** moto's own account: the account of every ARN it makes. */
    public static final String ACCOUNT = "123456789012";

    /** The trust policy of a Lambda execution role. */
    public static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private AwsClients aws;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** Starts moto, or skips the calling test (fails it under run-tests) when moto is not installed. */
    public static MotoServer start() {
        Path motoServer = LoopbackServers.installed("LAAMBDA_TEST_MOTO", "LAAMBDA_MOTO_HOME", "moto",
                "venv-5.2.5/bin/moto_server").orElseGet(() -> LoopbackServers.missing("LAAMBDA_TESTS_REQUIRE_MOTO", "moto",
                "moto is not installed: run scripts/moto-server --install (or set LAAMBDA_TEST_MOTO to a moto_server)"));
        // The free port is found, closed and handed to moto: another process may take it in between, so retry.
        String lastLog = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            MotoServer moto = launch(motoServer);
            try {
                if (moto.answered()) {
                    moto.post("/moto-api/config", "{\"lambda\":{\"use_docker\":false}}");
                    return moto;
                }
            } catch (IOException e) {
                lastLog = e.getMessage() + "\n";
            }
            lastLog += moto.log();
            moto.close();
        }
        throw new IllegalStateException("moto_server " + motoServer + " did not answer on loopback:\n" + lastLog);
    }

    /** Laambda's own AWS clients, pointed at this moto with its credentials (2 attempts a call); closed with it. */
    public synchronized AwsClients aws() {
        if (aws == null) {
            aws = new AwsClients(Optional.of(endpoint), credentials(), 2);
        }
        return aws;
    }

    /** Where an AWS client should send its requests (LAAMBDA_AWS_ENDPOINT). */
    public URI endpoint() {
        return endpoint;
    }

    /** Any credentials will do for moto; these keep the SDK's default chain (and the machine's own) out of tests. */
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /**
     * Gives a Laambda server started in this JVM moto's test credentials: the SDK's default chain, which the
     * server uses, looks at these two system properties first. Undone by {@link #close}.
     */
    public MotoServer credentialsForServersInThisJvm() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        return this;
    }

    /**
     * What every server of one database shares (README, "Scaling out"): a bucket, made now in moto's S3, one master
     * key (32 zero bytes), and moto as their AWS; servers in this JVM get moto's credentials.
     */
    public Map<String, String> settingsForServersSharing(String bucket) {
        credentialsForServersInThisJvm();
        aws().s3("us-east-1").createBucket(create -> create.bucket(bucket));
        return Map.of(ServerConfig.MASTER_KEY, Base64.getEncoder().encodeToString(new byte[32]), ServerConfig.S3_BUCKET,
                bucket, ServerConfig.AWS_ENDPOINT, endpoint.toString());
    }

    /** An IAM role Lambda may assume, made in moto's IAM (moto's Lambda refuses a role its IAM lacks); its ARN. */
    public String createLambdaRole(String name) {
        try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(endpoint)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            return iam.createRole(create -> create.roleName(name).assumeRolePolicyDocument(LAMBDA_TRUST)).role().arn();
        }
    }

    /** Forgets every resource of every service, as a fresh server would (moto keeps its own settings). */
    public void reset() {
        try {
            post("/moto-api/reset", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What moto printed: one line per request, and its tracebacks. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (aws != null) {
            aws.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        LoopbackServers.stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover log in the temporary directory harms nothing.
        }
    }

    private static MotoServer launch(Path motoServer) {
        try {
            int port = LoopbackServers.freeLoopbackPort();
            Path log = Files.createTempFile("moto-server", ".log");
            // Loopback only: moto answers anyone, with any credentials.
            Process process = new ProcessBuilder(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answered() {
        return LoopbackServers.awaitAnswer(process, endpoint.resolve("/moto-api/config"),
                response -> response.statusCode() < 500, Duration.ofSeconds(30));
    }

    private void post(String path, String body) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IOException("moto answered " + response.statusCode() + " to POST " + path + ": " + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

}
