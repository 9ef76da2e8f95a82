package dev.laambda.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real LocalStack (from PyPI, on the host, no Docker) serving CloudWatch alone on a free loopback port: the AWS
 * SDK's CloudWatch client speaks only Smithy RPC v2 CBOR, which moto does not serve and LocalStack's own CloudWatch
 * does. `./run-tests` installs it (scripts/localstack-server) and sets LAAMBDA_TEST_LOCALSTACK to its launcher and
 * LAAMBDA_TESTS_REQUIRE_LOCALSTACK=1, so there a missing LocalStack fails the test; elsewhere the tests that need it
 * are skipped unless `scripts/localstack-server --install` was run.
 */
public final class LocalStackServer implements AutoCloseable {

    private static final Pattern CLOUDWATCH_UP = Pattern.compile("\"cloudwatch\"\\s*:\\s*\"(running|available)\"");

    private final Process process;
    private final URI endpoint;
    private final Path filesystem;
    private final Path log;

    private LocalStackServer(Process process, URI endpoint, Path filesystem, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.filesystem = filesystem;
        this.log = log;
    }

    /** Starts LocalStack, or skips the calling test (fails it under run-tests) when it is not installed. */
    public static LocalStackServer start() {
        Path launcher = LoopbackServers.installed("LAAMBDA_TEST_LOCALSTACK", "LAAMBDA_LOCALSTACK_HOME", "localstack",
                "venv-2026.3.0/bin/laambda-cloudwatch").orElseGet(() -> LoopbackServers.missing(
                "LAAMBDA_TESTS_REQUIRE_LOCALSTACK", "LocalStack", "LocalStack is not installed: run "
                        + "scripts/localstack-server --install (or set LAAMBDA_TEST_LOCALSTACK to its laambda-cloudwatch)"));
        // The free port is found, closed and handed to LocalStack: another process may take it in between, so retry.
        String lastLog = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            LocalStackServer localStack = launch(launcher);
            if (localStack.healthy()) {
                return localStack;
            }
            lastLog = localStack.log();
            localStack.close();
        }
        throw new IllegalStateException("LocalStack " + launcher + " did not answer on loopback:\n" + lastLog);
    }

    /** Where an AWS client should send its requests. */
    public URI endpoint() {
        return endpoint;
    }

    /** Any credentials will do for LocalStack; these keep the SDK's default chain (and the machine's own) out of tests. */
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** What LocalStack printed: its start-up lines and tracebacks. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        LoopbackServers.stop(process);
        try (Stream<Path> files = Files.walk(filesystem)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // Leftovers in the temporary directory harm nothing.
        }
    }

    private static LocalStackServer launch(Path launcher) {
        try {
            int port = LoopbackServers.freeLoopbackPort();
            Path filesystem = Files.createTempDirectory("localstack");
            Path log = Files.createTempFile("localstack", ".log");
            ProcessBuilder builder = new ProcessBuilder(launcher.toString(), Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // Its own directory per run: LocalStack clears its tmp folder on start, which would hit a neighbour's.
            builder.environment().put("FILESYSTEM_ROOT", filesystem.toString());
            return new LocalStackServer(builder.start(), URI.create("http://127.0.0.1:" + port), filesystem, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls /_localstack/health until CloudWatch is up (a minute at most: a first start writes its certificate). */
    private boolean healthy() {
        return LoopbackServers.awaitAnswer(process, endpoint.resolve("/_localstack/health"),
                response -> response.statusCode() == 200 && CLOUDWATCH_UP.matcher(response.body()).find(),
                Duration.ofSeconds(60));
    }
}
