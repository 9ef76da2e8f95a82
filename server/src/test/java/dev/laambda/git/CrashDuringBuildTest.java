package dev.laambda.git;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server killed (SIGKILL) in the middle of a build, running its own embedded PostgreSQL as it does by default: the
 * PostgreSQL outlives it, and the next start stops that one, then carries on where the killed server left off.
 */
class CrashDuringBuildTest {

    @Test
    void aServerKilledMidBuildIsRestartedOnItsDataWithTheBuildFailedAndNothingLeftOver() throws Exception {
        Path data = Files.createTempDirectory("laambda-crash");
        Path buildpacks = slowBuildpacks();
        // No DATABASE_URL: the server runs its own PostgreSQL, kept in the data directory.
        Map<String, String> env = Map.of("LAAMBDA_DATA", data.toString(), "LAAMBDA_BUILDPACKS_DIR", buildpacks.toString(),
                "LAAMBDA_BUILDPACKS", "slow");
        Path postgresDir = data.resolve("postgres");
        Path workspaces = data.resolve("workspaces");
        TestServerProcess server = TestServerProcess.start(env, List.of());
        String token = server.adminToken();
        long orphan;
        int liveRelease;
        try {
            TestApi admin = server.admin();
            TestGit developer = TestGit.newDeveloper();
            admin.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", developer.publicKey())));
            admin.post("/api/v1/apps", "{\"name\":\"crashy\"}");
            admin.patch("/api/v1/apps/crashy/config", "{\"SLOW\":\"yes\"}");
            liveRelease = admin.get("/api/v1/apps/crashy").json().get("current_release").asInt();
            Path repo = developer.newRepo(Map.of("main.slow", "x", "Procfile", "web: main.handler\n"));
            String url = "ssh://git@127.0.0.1:" + server.sshPort() + "/crashy.git";
            CompletableFuture<TestGit.Result> push = CompletableFuture.supplyAsync(() -> developer.git(repo, "push", url, "main"));

            awaitRunningBuild(admin);
            awaitStoredBuildLog(admin, "-----> Compiling slowly");
            assertEquals(1, entries(workspaces).size(), "the build works in a workspace of its own");
            server.kill();
            assertNotEquals(0, push.get(60, TimeUnit.SECONDS).exitCode(), "the push dies with the server");
            orphan = postmasterPid(postgresDir);
            assertFalse(exited(orphan), "the embedded PostgreSQL (pid " + orphan + ") outlives the server that started it");
        } finally {
            server.process().destroyForcibly();
        }

        TestServerProcess restarted = null;
        try {
            restarted = TestServerProcess.start(env, List.of());
            assertTrue(exited(orphan), "the PostgreSQL the killed server left (pid " + orphan + ") was stopped");
            assertTrue(restarted.output().contains("event=stale_postgres_stopped pid=" + orphan), restarted.output());
            assertNotEquals(orphan, postmasterPid(postgresDir), "a PostgreSQL of the restarted server's own runs");
            assertEquals(List.of(), entries(workspaces), "the killed build's workspace is gone");
            TestApi admin = new TestApi(restarted.url(), token);
            // A build container the killed server left running is removed by the restarted one.
            dev.laambda.docker.DockerEngine.connect("crash-test").engine().ifPresent(docker -> assertEquals(0,
                    docker.client().listContainersCmd().withShowAll(true).withLabelFilter(List.of(
                            dev.laambda.docker.DockerEngine.OWNER_LABEL)).exec().stream()
                            .filter(c -> c.getLabels().get(dev.laambda.docker.DockerEngine.OWNER_LABEL)
                                    .endsWith(":" + data.toAbsolutePath()))
                            // The restarted server's own waiting network namespaces are not leftovers.
                            .filter(c -> c.getNames()[0].startsWith("/laambda-build"))
                            .count()));
            JsonNode build = admin.get("/api/v1/apps/crashy/builds").json().get(0);
            assertEquals("failed", build.get("status").asText());
            String killedLog = admin.get("/api/v1/apps/crashy/builds/" + build.get("id").asLong()).json().get("log").asText();
            assertTrue(killedLog.contains("The server stopped during this build"), killedLog);
            assertTrue(killedLog.contains("-----> Compiling slowly"), "what it printed before the crash is kept: " + killedLog);
            TestApi.Response app = admin.get("/api/v1/apps/crashy");
            assertEquals(200, app.status(), app.body());
            assertEquals(liveRelease, app.json().get("current_release").asInt(), "the live release is the one before the crash");

            admin.patch("/api/v1/apps/crashy/config", "{\"SLOW\":null}");
            TestGit developer = TestGit.newDeveloper();
            admin.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", developer.publicKey())));
            Path repo = developer.newRepo(Map.of("main.slow", "y", "Procfile", "web: main.handler\n"));
            TestGit.Result push = developer.git(repo, "push", "ssh://git@127.0.0.1:" + restarted.sshPort() + "/crashy.git", "main");
            assertTrue(push.ok(), push.output());
            assertEquals(liveRelease + 2, admin.get("/api/v1/apps/crashy").json().get("current_release").asInt(),
                    "a release for the config change, one for the push");
        } finally {
            if (restarted != null) {
                restarted.close(); // stops its PostgreSQL too
            } else {
                ProcessHandle.of(orphan).filter(process -> !exited(orphan)).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void aSecondServerStartedOnTheSameDataRefusesAndLeavesTheFirstOneAndItsPostgresRunning() throws Exception {
        Path data = Files.createTempDirectory("laambda-crash");
        Map<String, String> env = Map.of("LAAMBDA_DATA", data.toString());
        try (TestServerProcess first = TestServerProcess.start(env, List.of())) {
            long postmaster = postmasterPid(data.resolve("postgres"));

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TestServerProcess.start(env, List.of()));
            assertTrue(refused.getMessage().contains(" !    Another Laambda server is using " + data.toAbsolutePath() + ": stop that "
                            + "server, or give this one another data directory (LAAMBDA_DATA)"),
                    refused.getMessage());
            assertFalse(refused.getMessage().contains("event=stale_postgres") || refused.getMessage().contains("event=leftover"),
                    "it cleared nothing away: " + refused.getMessage());

            assertFalse(exited(postmaster), "the first server's PostgreSQL still runs");
            assertEquals(postmaster, postmasterPid(data.resolve("postgres")));
            TestApi.Response apps = first.admin().get("/api/v1/apps");
            assertEquals(200, apps.status(), apps.body());
        }
    }

    /** A buildpack that detects *.slow apps and, while config var SLOW is set, builds for a long time. */
    private static Path slowBuildpacks() throws IOException {
        // Readable by every user, as a checkout is: builds run as a user of their own.
        Path root = Files.createTempDirectory("laambda-buildpacks", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path bin = Files.createDirectories(root.resolve("slow").resolve("bin"));
        write(bin.resolve("detect"), "#!/bin/sh\nls \"$1\"/*.slow >/dev/null 2>&1 && echo Slow\n");
        write(bin.resolve("compile"), "#!/bin/sh\necho '-----> Compiling slowly'\n"
                + "if [ -f \"$3/SLOW\" ]; then sleep 300; fi\necho '       done'\n");
        return root;
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void awaitRunningBuild(TestApi admin) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonNode builds = admin.get("/api/v1/apps/crashy/builds").json();
            if (builds.size() > 0 && builds.get(0).get("status").asText().equals("running")) {
                Thread.sleep(500);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("No build started");
    }

    /** A running build's log is stored as it is written: waits until it holds {@code text}. */
    private static void awaitStoredBuildLog(TestApi admin, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode build = admin.get("/api/v1/apps/crashy/builds").json().get(0);
            if (admin.get("/api/v1/apps/crashy/builds/" + build.get("id").asLong()).json().get("log").asText()
                    .contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the running build's stored log never showed '" + text + "'");
    }

    /** The first line of PostgreSQL's lock file: the postmaster's PID. */
    private static long postmasterPid(Path postgresDir) throws IOException {
        return Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).strip());
    }

    /** Gone, or a zombie: it has exited and waits only for its reaper. */
    private static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
