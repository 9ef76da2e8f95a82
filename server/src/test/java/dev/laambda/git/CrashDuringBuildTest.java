package dev.laambda.git;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestPostgres;
import dev.laambda.testing.TestServer;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server killed (SIGKILL) in the middle of a build: after a restart nothing is half-done and pushing works. */
class CrashDuringBuildTest {

    @Test
    void aBuildInterruptedByACrashIsMarkedFailedAndTheNextPushWorks() throws Exception {
        Path data = Files.createTempDirectory("laambda-crash");
        Path buildpacks = slowBuildpacks();
        String databaseUrl = TestPostgres.newDatabaseUrl();
        TestServerProcess server = TestServerProcess.start(Map.of("LAAMBDA_DATA", data.toString(), "DATABASE_URL", databaseUrl,
                "LAAMBDA_BUILDPACKS_DIR", buildpacks.toString(), "LAAMBDA_BUILDPACKS", "slow"), List.of());
        String token = server.adminToken();
        try {
            TestApi admin = server.admin();
            TestGit developer = TestGit.newDeveloper();
            admin.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", developer.publicKey())));
            admin.post("/api/v1/apps", "{\"name\":\"crashy\"}");
            admin.patch("/api/v1/apps/crashy/config", "{\"SLOW\":\"yes\"}");
            Path repo = developer.newRepo(Map.of("main.slow", "x", "Procfile", "web: main.handler\n"));
            String url = "ssh://git@127.0.0.1:" + server.sshPort() + "/crashy.git";
            CompletableFuture<TestGit.Result> push = CompletableFuture.supplyAsync(() -> developer.git(repo, "push", url, "main"));

            awaitRunningBuild(admin);
            server.kill();
            assertNotEquals(0, push.get(60, TimeUnit.SECONDS).exitCode(), "the push dies with the server");
        } finally {
            server.process().destroyForcibly();
        }

        try (TestServer restarted = TestServer.start(Map.of("LAAMBDA_DATA", data.toString(), "DATABASE_URL", databaseUrl,
                "LAAMBDA_BUILDPACKS_DIR", buildpacks.toString(), "LAAMBDA_BUILDPACKS", "slow"))) {
            TestApi admin = restarted.as(token);
            // A build container the killed server left running is removed by the restarted one.
            dev.laambda.docker.DockerEngine.connect("crash-test").engine().ifPresent(docker -> assertEquals(0,
                    docker.client().listContainersCmd().withShowAll(true).withLabelFilter(List.of(
                            dev.laambda.docker.DockerEngine.OWNER_LABEL)).exec().stream()
                            .filter(c -> c.getLabels().get(dev.laambda.docker.DockerEngine.OWNER_LABEL)
                                    .endsWith(":" + data.toAbsolutePath()))
                            .count()));
            JsonNode build = admin.get("/api/v1/apps/crashy/builds").json().get(0);
            assertEquals("failed", build.get("status").asText());
            assertTrue(admin.get("/api/v1/apps/crashy/builds/" + build.get("id").asLong()).json().get("log").asText()
                    .contains("The server stopped during this build"));
            assertEquals(2, admin.get("/api/v1/apps/crashy").json().get("current_release").asInt(), "current release unchanged");

            admin.patch("/api/v1/apps/crashy/config", "{\"SLOW\":null}");
            TestGit developer = TestGit.newDeveloper();
            admin.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", developer.publicKey())));
            Path repo = developer.newRepo(Map.of("main.slow", "y", "Procfile", "web: main.handler\n"));
            TestGit.Result push = developer.git(repo, "push",
                    "ssh://git@127.0.0.1:" + restarted.laambda().sshPort() + "/crashy.git", "main");
            assertTrue(push.ok(), push.output());
            assertEquals(4, admin.get("/api/v1/apps/crashy").json().get("current_release").asInt());
        }
    }

    /** A buildpack that detects *.slow apps and, while config var SLOW is set, builds for a long time. */
    private static Path slowBuildpacks() throws IOException {
        Path root = Files.createTempDirectory("laambda-buildpacks");
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
}
