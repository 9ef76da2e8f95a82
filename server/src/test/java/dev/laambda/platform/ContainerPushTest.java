package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.ServerConfig;
import dev.laambda.docker.DockerEngine;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestDocker;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With Docker, a push builds in the runtime's build image and functions run as containers of its run
 * image, with Lambda's limits: read-only code, writable /tmp, the function's memory, a non-root user.
 */
class ContainerPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static DockerEngine docker;
    private static TestServer server;
    private static TestApi api;
    private static TestGit developer;
    private static String firstPush;

    @BeforeAll
    static void pushTheApp() {
        docker = TestDocker.require();
        server = TestServer.start(Map.of(ServerConfig.BUILDER, "docker", ServerConfig.INSTANCES, "container",
                ServerConfig.BUILD_TIMEOUT, "20s", ServerConfig.BUILD_DISK, "200m"));
        api = server.admin();
        developer = TestGit.newDeveloper();
        api.post("/api/v1/keys", "{\"public_key\":\"" + developer.publicKey() + "\"}");
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"boxed\"}").status());
        Path repo = developer.newRepo(Map.of(
                "probe.py", """
                        import os, sys

                        def memory_limit():
                            for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
                                if os.path.exists(path):
                                    return open(path).read().strip()

                        def handler(event, context):
                            try:
                                open("/var/task/written", "w").write("x")
                                task_writable = True
                            except OSError:
                                task_writable = False
                            open("/tmp/scratch", "w").write("x")
                            print("probing in", os.getcwd())
                            return {"uid": os.getuid(), "task_root": os.environ["LAMBDA_TASK_ROOT"], "cwd": os.getcwd(),
                                    "task_writable": task_writable, "tmp_written": os.path.exists("/tmp/scratch"),
                                    "memory_max": memory_limit(),
                                    "python": sys.version_info[:2] >= (3, 11), "greeting": os.environ.get("GREETING")}
                        """,
                "slow.py", "import time\ndef handler(event, context):\n    time.sleep(30)\n",
                "Procfile", "probe: probe.handler\nslow: slow.handler\n"));
        TestGit.Result push = push(repo);
        assertTrue(push.ok(), push.output());
        firstPush = push.output();
        assertEquals(200, api.patch("/api/v1/apps/boxed/formation/slow", "{\"timeout_s\":1}").status());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TestGit.Result push(Path repo) {
        return developer.git(repo, "push", "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/boxed.git", "main");
    }

    @Test
    void theBuildRanInTheRuntimesBuildImage() {
        assertTrue(firstPush.contains("Building with build containers (Docker "), firstPush);
        assertTrue(firstPush.contains("Build image public.ecr.aws/sam/build-python3.13:latest")
                || firstPush.contains("Build image " + System.getenv().getOrDefault("LAAMBDA_IMAGE_PYTHON", "?")), firstPush);
    }

    @Test
    void aFunctionRunsInAContainerWithLambdasLimits() throws Exception {
        assertEquals(200, api.patch("/api/v1/apps/boxed/formation/probe", "{\"memory_mb\":256}").status());
        TestApi.Response response = api.post("/api/v1/apps/boxed/functions/probe/invoke?log=tail", "{}");
        assertEquals(200, response.status(), response.body());
        JsonNode probe = JSON.readTree(response.body());
        assertEquals(993, probe.path("uid").asInt(), response.body());
        assertEquals("/var/task", probe.get("task_root").asText());
        assertEquals("/var/task", probe.get("cwd").asText());
        assertFalse(probe.get("task_writable").asBoolean(), "code must be read-only");
        assertTrue(probe.get("tmp_written").asBoolean(), "/tmp must be writable");
        assertEquals(String.valueOf(256L * 1024 * 1024), probe.get("memory_max").asText());
        assertTrue(probe.get("python").asBoolean());
        StringBuilder log = new StringBuilder();
        api.get("/api/v1/apps/boxed/functions/probe/logs").json().forEach(line -> log.append(line.get("message").asText())
                .append('\n'));
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("Max Memory Used: (\\d+) MB").matcher(log);
        assertTrue(used.find() && Integer.parseInt(used.group(1)) > 0, log.toString());
        assertTrue(log.toString().contains("probing in /var/task"), log.toString());
    }

    @Test
    void aTimedOutInstanceIsKilledAndItsContainerRemoved() {
        TestApi.Response response = api.post("/api/v1/apps/boxed/functions/slow/invoke", "{}");
        assertTrue(response.body().contains("Task timed out after 1.00 seconds"), response.body());
        long left = docker.client().listContainersCmd().withShowAll(true)
                .withNameFilter(java.util.List.of("laambda-boxed-slow")).exec().size();
        assertEquals(0, left, "the timed-out instance's container is gone");
        assertEquals(200, api.post("/api/v1/apps/boxed/functions/probe/invoke", "{}").status());
    }

    @Test
    void aMissingBuildImageRejectsThePushAndChangesNothing() {
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"noimage\"}").status());
        assertEquals(200, api.patch("/api/v1/apps/noimage/config", "{\"LAAMBDA_BUILD_IMAGE\":\"laambda/missing:1\"}").status());
        int releases = api.get("/api/v1/apps/noimage/releases").json().size();
        Path repo = developer.newRepo(Map.of("app.py", "def handler(e, c):\n    return 1\n", "Procfile", "web: app.handler\n"));
        TestGit.Result push = developer.git(repo, "push",
                "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/noimage.git", "main");
        assertFalse(push.ok(), push.output());
        assertTrue(push.output().contains("remote: !") && push.output().contains(
                "Build image 'laambda/missing:1' not found: run buildpacks/stacks/build.sh or set the app's config "
                        + "LAAMBDA_BUILD_IMAGE."), push.output());
        assertEquals(releases, api.get("/api/v1/apps/noimage/releases").json().size());
    }

    @Test
    void aBuildOverItsTimeIsKilledAndItsContainerRemoved() {
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"forever\"}").status());
        Path repo = developer.newRepo(Map.of("app.py", "def handler(e, c):\n    return 1\n", "Procfile", "web: app.handler\n",
                "bin/pre_compile", "#!/bin/sh\necho sleeping\nsleep 300\n"));
        developer.git(repo, "update-index", "--chmod=+x", "bin/pre_compile");
        developer.git(repo, "commit", "-qm", "executable hook");
        TestGit.Result push = developer.git(repo, "push",
                "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/forever.git", "main");
        assertFalse(push.ok(), push.output());
        assertTrue(push.output().contains("Build timed out after 20 s"), push.output());
        long left = buildContainersOfThisServer();
        assertEquals(0, left, "the build container is gone");
    }

    @Test
    void aBuildThatFillsItsDiskIsStoppedAndItsContainerRemoved() {
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"greedy\"}").status());
        int releases = api.get("/api/v1/apps/greedy/releases").json().size();
        Path repo = developer.newRepo(Map.of("app.py", "def handler(e, c):\n    return 1\n", "Procfile", "web: app.handler\n",
                "bin/pre_compile", """
                        #!/bin/sh
                        echo "filling /tmp"
                        i=0
                        while true; do head -c 10485760 /dev/zero > /tmp/fill$i; i=$((i+1)); sleep 0.1; done
                        """));
        developer.git(repo, "update-index", "--chmod=+x", "bin/pre_compile");
        developer.git(repo, "commit", "-qm", "executable hook");
        TestGit.Result push = developer.git(repo, "push",
                "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/greedy.git", "main");
        assertFalse(push.ok(), push.output());
        assertTrue(push.output().contains("remote: !") && push.output().contains("Build used more than 200 MB of disk"),
                push.output());
        long left = buildContainersOfThisServer();
        assertEquals(0, left, "the build container is gone");
        assertEquals(releases, api.get("/api/v1/apps/greedy/releases").json().size(), "nothing released");
    }

    @Test
    void twoAppsBuildingAtOnceKeepTheirOwnCaches() throws Exception {
        Map<String, String> versions = Map.of("twin-old", "1.16.0", "twin-new", "1.17.0");
        Map<String, Path> repos = new java.util.TreeMap<>();
        for (Map.Entry<String, String> app : versions.entrySet()) {
            assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"" + app.getKey() + "\"}").status());
            repos.put(app.getKey(), developer.newRepo(Map.of(
                    "app.py", "import six\ndef handler(e, c):\n    return six.__version__\n",
                    "requirements.txt", "six==" + app.getValue() + "\n", "Procfile", "web: app.handler\n")));
        }
        for (int round = 1; round <= 2; round++) {
            Map<String, TestGit.Result> pushes = pushAtOnce(repos, round);
            for (Map.Entry<String, String> app : versions.entrySet()) {
                TestGit.Result push = pushes.get(app.getKey());
                assertTrue(push.ok(), push.output());
                assertEquals(round == 2, push.output().contains("Using cached dependencies"), push.output());
                TestApi.Response invoked = api.post("/api/v1/apps/" + app.getKey() + "/functions/web/invoke", "{}");
                assertEquals("\"" + app.getValue() + "\"", invoked.body(), app.getKey() + " round " + round);
            }
        }
    }

    @Test
    void aConfigChangeNamingAMissingRunImageIsRefusedAndTheAppKeepsRunning() {
        int releases = api.get("/api/v1/apps/boxed/releases").json().size();
        TestApi.Response refused = api.patch("/api/v1/apps/boxed/config", "{\"LAAMBDA_RUN_IMAGE\":\"laambda/missing-run:1\"}");
        assertEquals(409, refused.status(), refused.body());
        assertEquals("Run image 'laambda/missing-run:1' not found: run buildpacks/stacks/build.sh or set the app's config "
                + "LAAMBDA_RUN_IMAGE.", refused.json().get("error").asText(), refused.body());
        assertEquals(releases, api.get("/api/v1/apps/boxed/releases").json().size(), "no release made");
        assertFalse(api.get("/api/v1/apps/boxed/config").body().contains("missing-run"), "config unchanged");
        assertEquals(200, api.post("/api/v1/apps/boxed/functions/probe/invoke", "{}").status());
    }

    @Test
    void aPushWhoseRunImageIsMissingIsRejectedBeforeItsReleaseGoesLive() {
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"norun\"}").status());
        assertEquals(200, api.patch("/api/v1/apps/norun/config", "{\"LAAMBDA_RUN_IMAGE\":\"laambda/missing-run:1\"}").status(),
                "no code yet: nothing to run");
        int releases = api.get("/api/v1/apps/norun/releases").json().size();
        Path repo = developer.newRepo(Map.of("app.py", "def handler(e, c):\n    return 1\n", "Procfile", "web: app.handler\n"));
        TestGit.Result push = developer.git(repo, "push",
                "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/norun.git", "main");
        assertFalse(push.ok(), push.output());
        assertTrue(push.output().contains("remote: -----> Compressed artifact"), "built: " + push.output());
        assertTrue(push.output().contains("remote: !") && push.output().contains(
                "Run image 'laambda/missing-run:1' not found"), push.output());
        assertEquals(releases, api.get("/api/v1/apps/norun/releases").json().size(), "nothing released");
    }

    @Test
    void aServerWithoutTheRuntimeRelayRefusesToRunFunctionsInContainers() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TestServer.start(Map.of(ServerConfig.INSTANCES, "container", ServerConfig.RUNTIME_RELAY, "/nonexistent/relay")));
        assertEquals("Function containers need the runtime relay, and /nonexistent/relay is missing: run "
                + "scripts/build-runtime-relay or set LAAMBDA_RUNTIME_RELAY.", refused.getMessage());
    }

    /** This server's build containers (other servers on the engine, and earlier runs, have their own). */
    private static long buildContainersOfThisServer() {
        return docker.client().listContainersCmd().withShowAll(true)
                .withNameFilter(java.util.List.of("laambda-build")).exec().stream()
                .filter(c -> String.valueOf(c.getLabels().get(DockerEngine.OWNER_LABEL)).endsWith(":" + server.dataDir()))
                .count();
    }

    /** Pushes every repo at the same moment (round 2 pushes a new commit of each). */
    private static Map<String, TestGit.Result> pushAtOnce(Map<String, Path> repos, int round) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(repos.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            Map<String, java.util.concurrent.Future<TestGit.Result>> pushes = new java.util.TreeMap<>();
            repos.forEach((app, repo) -> {
                if (round > 1) {
                    developer.git(repo, "commit", "-q", "--allow-empty", "-m", "round " + round);
                }
                pushes.put(app, pool.submit(() -> {
                    start.await();
                    return developer.git(repo, "push", "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/" + app
                            + ".git", "main");
                }));
            });
            start.countDown();
            Map<String, TestGit.Result> results = new java.util.TreeMap<>();
            for (Map.Entry<String, java.util.concurrent.Future<TestGit.Result>> push : pushes.entrySet()) {
                results.put(push.getKey(), push.getValue().get(5, java.util.concurrent.TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
