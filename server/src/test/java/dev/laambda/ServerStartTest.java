package dev.laambda;

import dev.laambda.testing.TestPostgres;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the server starts, or why it does not: the real server (`java dev.laambda.Laambda`, as the jar runs it) and
 * what an operator reads on its console, one line, no stack trace, exit status 1.
 */
class ServerStartTest {

    private static final String NO_ENGINE = "unix:///tmp/laambda-test-no-docker.sock";

    @Test
    void processesAndLocalBuildsSetExplicitlyLetOtherUsersInAndTheServerWarnsThatNothingSeparatesApps() {
        try (TestServer server = TestServer.start(Map.of(ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local"))) {
            assertTrue(server.console().contains("WARNING: no isolation between apps: LAAMBDA_INSTANCES=process and "
                    + "LAAMBDA_BUILDER=local run every app's builds and functions as host processes"), server.console());
            assertEquals(201, server.admin().post("/api/v1/users", "{\"email\":\"second@example.com\"}").status());
        }
    }

    @Test
    void containerInstancesAskedForWithoutAnEngineStopTheServerInOneLine() throws Exception {
        Started failed = runServer(Map.of(ServerConfig.INSTANCES, "container", "DOCKER_HOST", NO_ENGINE));
        assertEquals(1, failed.exitCode(), failed.stderr());
        assertOneLine(failed, " !    LAAMBDA_INSTANCES=container, but no Docker engine at " + NO_ENGINE + ": ",
                ": start Docker (scripts/docker-engine), or unset LAAMBDA_INSTANCES to start in single-user mode without "
                        + "containers.");
    }

    @Test
    void dockerBuildsAskedForWithoutAnEngineStopTheServerInOneLine() throws Exception {
        Started failed = runServer(Map.of(ServerConfig.BUILDER, "docker", ServerConfig.INSTANCES, "process",
                "DOCKER_HOST", NO_ENGINE));
        assertEquals(1, failed.exitCode(), failed.stderr());
        assertOneLine(failed, " !    LAAMBDA_BUILDER=docker, but no Docker engine at " + NO_ENGINE + ": ",
                ": start Docker (scripts/docker-engine), or unset LAAMBDA_BUILDER to start in single-user mode without "
                        + "containers.");
    }

    @Test
    void anHttpPortAnotherProcessHoldsStopsTheServerInOneLine() throws Exception {
        assertAPortInUseStopsTheServerInOneLine(ServerConfig.HTTP_PORT);
    }

    @Test
    void anSshPortAnotherProcessHoldsStopsTheServerInOneLine() throws Exception {
        assertAPortInUseStopsTheServerInOneLine(ServerConfig.SSH_PORT);
    }

    @Test
    void aServerWithAnotherMasterKeyThanTheDatabasesReleasesStopsInOneLine() throws Exception {
        String first = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] otherBytes = new byte[32];
        otherBytes[0] = 1;
        String other = java.util.Base64.getEncoder().encodeToString(otherBytes);
        Map<String, String> onHost = Map.of(ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local");
        TestServer sealing = TestServer.start(merged(onHost, Map.of(ServerConfig.MASTER_KEY, first)));
        sealing.admin().post("/api/v1/apps", "{\"name\":\"sealed\"}");
        sealing.close();

        Started failed = runServer(merged(onHost, Map.of(ServerConfig.MASTER_KEY, other,
                ServerConfig.DATABASE_URL, sealing.databaseUrl())));

        assertEquals(1, failed.exitCode(), failed.stderr());
        assertOneLine(failed, " !    This database's releases are sealed with the master key local:", ": start it with "
                + "the same LAAMBDA_MASTER_KEY as the servers that made them.");
    }

    @Test
    void aSecondServerWithoutASharedBucketOnALiveServersDatabaseStopsInOneLineNamingTheFirst() throws Exception {
        Map<String, String> onHost = Map.of(ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local");
        try (TestServer first = TestServer.start(onHost)) {
            Started failed = runServer(merged(onHost, Map.of(ServerConfig.DATABASE_URL, first.databaseUrl())));

            assertEquals(1, failed.exitCode(), failed.stderr());
            assertOneLine(failed, " !    Other servers are live on this database (", " at 127.0.0.1:"
                    + first.laambda().httpPort() + ", no bucket), and this one has no shared artifact store: set the same "
                    + "LAAMBDA_S3_BUCKET on every server (or, if they have stopped, wait 30 s).");
        }
    }

    @Test
    void aServerWithABucketOnTheDatabaseOfALiveServerWithoutOneStopsInOneLine() throws Exception {
        Map<String, String> onHost = Map.of(ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local");
        try (TestServer first = TestServer.start(onHost)) {
            Started failed = runServer(merged(onHost, Map.of(ServerConfig.DATABASE_URL, first.databaseUrl(),
                    ServerConfig.S3_BUCKET, "laambda-artifacts")));

            assertEquals(1, failed.exitCode(), failed.stderr());
            assertOneLine(failed, " !    Servers live on this database do not share this one's artifact bucket (",
                    ", no bucket): set the same LAAMBDA_S3_BUCKET on every server (or, if they have stopped, wait 30 s).");
        }
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    private static void assertAPortInUseStopsTheServerInOneLine(String setting) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Started failed = runServer(Map.of(setting, String.valueOf(taken.getLocalPort()),
                    ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local",
                    ServerConfig.DATABASE_URL, TestPostgres.newDatabaseUrl()));
            assertEquals(1, failed.exitCode(), failed.stderr());
            assertOneLine(failed, " !    Port " + taken.getLocalPort() + " is already in use (" + setting + "): stop "
                    + "the other server or choose another port.", "");
        }
    }

    private record Started(int exitCode, String stderr) {
    }

    /** Runs the server's main class in its own JVM with the test's class path; waits for it to give up. */
    private static Started runServer(Map<String, String> settings) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("laambda-start-test");
        Path stderr = data.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Laambda.class.getName());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("LAAMBDA_") || name.equals("DOCKER_HOST")
                || name.equals(ServerConfig.DATABASE_URL));
        Map<String, String> all = new HashMap<>(Map.of(ServerConfig.DATA, data.toString(),
                ServerConfig.HTTP_HOST, "127.0.0.1", ServerConfig.HTTP_PORT, "0",
                ServerConfig.SSH_HOST, "127.0.0.1", ServerConfig.SSH_PORT, "0",
                ServerConfig.BUILDPACKS_DIR, Path.of("..", "buildpacks").toAbsolutePath().normalize().toString()));
        all.putAll(settings);
        env.putAll(all);
        Process server = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        if (!server.waitFor(2, TimeUnit.MINUTES)) {
            server.destroyForcibly();
            throw new AssertionError("the server started instead of stopping: " + Files.readString(stderr));
        }
        return new Started(server.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** Exactly one line for the operator (log lines aside), starting and ending as given, and no stack trace. */
    private static void assertOneLine(Started failed, String start, String end) {
        List<String> problems = failed.stderr().lines().filter(line -> line.startsWith(" !")).toList();
        assertEquals(1, problems.size(), failed.stderr());
        assertTrue(problems.get(0).startsWith(start), problems.get(0));
        assertTrue(problems.get(0).endsWith(end), problems.get(0));
        assertTrue(failed.stderr().lines().noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by")
                || line.startsWith("Exception in thread")), failed.stderr());
    }
}
