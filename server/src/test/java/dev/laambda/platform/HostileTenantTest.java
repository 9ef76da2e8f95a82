package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.docker.DockerEngine;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestDocker;
import dev.laambda.testing.TestNetwork;
import dev.laambda.testing.TestPostgres;
import dev.laambda.testing.TestServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile tenant's function, pushed as any user would push it, tries to break out of its sandbox: the
 * server's ports on every host address, a neighbour app's instance and its Runtime API, the cloud metadata
 * address, a raw packet socket, the server's files and environment, a fork bomb, 100 MB of output without
 * a newline, more memory than it has, more than the server gives all instances. It reports what it saw in its own result; each attempt must have
 * failed, and afterwards the server (a JVM of its own with a 256 MB heap) still answers and the neighbour
 * app still invokes correctly.
 */
class HostileTenantTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "hostile-marker-" + UUID.randomUUID();
    private static final String HOSTILE = """
            import json, os, socket, subprocess, sys

            def connect(target):
                host, port = target.rsplit(":", 1)
                s = socket.socket()
                s.settimeout(1)
                try:
                    s.connect((host, int(port)))
                    return "open"
                except Exception as e:
                    return "closed: " + type(e).__name__
                finally:
                    s.close()

            def read(path):
                try:
                    with open(path, "rb") as f:
                        return "read: " + f.read(200).decode("utf-8", "replace")
                except Exception as e:
                    return "refused: " + type(e).__name__

            def environments():
                seen = ""
                for pid in os.listdir("/proc"):
                    if pid.isdigit():
                        try:
                            seen += open("/proc/%s/environ" % pid, "rb").read().decode("utf-8", "replace")
                        except Exception:
                            pass
                return seen

            def probe(event, context):
                seen = {"connect": {t: connect(t) for t in event["targets"]},
                        "read": {p: read(p) for p in event["files"]},
                        "uid": os.getuid()}
                try:
                    socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)).close()
                    seen["af_packet"] = "opened"
                except Exception as e:
                    seen["af_packet"] = "refused: " + type(e).__name__
                seen["marker_visible"] = event["marker"] in environments()
                return seen

            def fork(event, context):
                children, error = [], None
                try:
                    for _ in range(3000):
                        children.append(subprocess.Popen(["sleep", "60"]))
                except Exception as e:
                    error = type(e).__name__
                for child in children:
                    child.kill()
                for child in children:
                    child.wait()
                return {"started": len(children), "error": error}

            def flood(event, context):
                chunk = "x" * (1 << 20)
                for _ in range(100):
                    sys.stdout.write(chunk)
                sys.stdout.flush()
                return {"printed_mb": 100}

            def hog(event, context):
                blocks = [b"\\x01" * (64 << 20) for _ in range(64)]
                return {"allocated_mb": 64 * len(blocks)}
            """;

    private static DockerEngine docker;
    private static TestServerProcess server;
    private static TestApi admin;
    private static Path data;
    private static String databaseUrl;

    @BeforeAll
    static void pushBothApps() throws IOException {
        docker = TestDocker.require();
        data = Files.createTempDirectory("laambda-hostile");
        databaseUrl = TestPostgres.newDatabaseUrl();
        server = TestServerProcess.start(Map.of("LAAMBDA_DATA", data.toString(), "DATABASE_URL", databaseUrl,
                "LAAMBDA_BUILDPACKS_DIR", Path.of("..", "buildpacks").toAbsolutePath().normalize().toString(),
                "LAAMBDA_INSTANCES", "container", "LAAMBDA_BUILDER", "docker", "LAAMBDA_HOSTILE_MARKER", MARKER,
                "LAAMBDA_INSTANCE_MEMORY", "6g"),
                List.of("-Xmx256m"));
        admin = server.admin();
        TestApp neighbour = TestApp.create(server, "neighbour", Map.of(
                "app.py", "def handler(event, context):\n    return {'neighbour': 'ok', 'echo': event.get('n')}\n",
                "Procfile", "web: app.handler\n"));
        neighbour.pushAccepted();
        TestApp hostile = TestApp.create(server, "hostile", Map.of("probe.py", HOSTILE,
                "Procfile", "probe: probe.probe\nfork: probe.fork\nflood: probe.flood\nhog: probe.hog\n"));
        hostile.pushAccepted();
        // Each refused connection waits out its 1-second timeout: the firewall drops, it does not answer.
        assertEquals(200, admin.patch("/api/v1/apps/hostile/formation/probe", "{\"timeout_s\":120}").status());
        assertNeighbourAnswers();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void theServerAndTheNeighbourAreUnharmed() {
        assertTrue(server.process().isAlive(), "the server process died:\n" + server.output());
        assertEquals(200, admin.get("/api/v1/apps").status());
        assertNeighbourAnswers();
    }

    @Test
    void itReachesNoPortOfTheServerNorTheNeighbourNorTheMetadataService() throws IOException {
        int httpPort = URI.create(server.url()).getPort();
        int postgresPort = URI.create(databaseUrl).getPort();
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1", TestNetwork.gateway(docker, "laambda-functions")));
        hosts.addAll(TestNetwork.hostAddresses(false));
        List<String> targets = new ArrayList<>();
        for (String host : hosts) {
            for (int port : List.of(httpPort, server.sshPort(), postgresPort)) {
                targets.add(host + ":" + port);
            }
        }
        String neighbour = neighbourAddress();
        targets.add(neighbour + ":9001");
        targets.add(neighbour + ":8080");
        targets.add("169.254.169.254:80");

        JsonNode seen = invoke("hostile", "probe", JSON.writeValueAsString(Map.of("targets", targets, "marker", MARKER,
                "files", List.of("/proc/1/environ", data.resolve("master.key").toString(),
                        data.resolve("postgres").toString(), "/var/run/docker.sock"))));

        for (String target : targets) {
            assertTrue(seen.path("connect").path(target).asText().startsWith("closed"), target + ": " + seen);
        }
        assertTrue(seen.path("af_packet").asText().startsWith("refused"), seen.toString());
        assertFalse(seen.path("marker_visible").asBoolean(), "the server's environment is visible: " + seen);
        assertFalse(seen.path("read").path(data.resolve("master.key").toString()).asText().startsWith("read"),
                seen.toString());
        assertFalse(seen.path("read").path("/var/run/docker.sock").asText().startsWith("read"), seen.toString());
        assertTrue(seen.path("uid").asInt() != 0, "runs as root: " + seen);
    }

    @Test
    void aForkBombStopsAtTheProcessLimit() throws IOException {
        JsonNode seen = invoke("hostile", "fork", "{}");
        assertTrue(seen.path("started").asInt() < 1024, seen.toString());
        assertEquals("BlockingIOError", seen.path("error").asText(), seen.toString());
    }

    @Test
    void a100MegabyteLineWithoutANewlineIsCutAndTheLogsStayBounded() throws IOException {
        TestApi.Response flood = admin.send("POST", "/api/v1/apps/hostile/functions/flood/invoke?log=tail", "{}");
        assertEquals(200, flood.status(), flood.body());
        TestApi.Response logs = admin.get("/api/v1/apps/hostile/functions/flood/logs?lines=10000");
        assertEquals(200, logs.status(), logs.body());
        assertTrue(logs.body().length() <= 1_200_000, "logs endpoint answered " + logs.body().length() + " bytes");
    }

    @Test
    void allocatingMoreThanItsMemoryKillsOnlyItsOwnInstance() throws IOException {
        assertEquals(200, admin.patch("/api/v1/apps/hostile/formation/hog", "{\"memory_mb\":256}").status());
        TestApi.Response hog = admin.send("POST", "/api/v1/apps/hostile/functions/hog/invoke", "{}");
        assertEquals(200, hog.status(), hog.body());
        assertTrue(hog.body().contains("errorType"), "the allocation should have failed: " + hog.body());
    }

    @Test
    void askingForMoreMemoryThanTheServerGivesAllInstancesIsRefusedWith429() {
        assertEquals(200, admin.patch("/api/v1/apps/hostile/formation/hog", "{\"memory_mb\":8192}").status());
        try {
            TestApi.Response refused = admin.send("POST", "/api/v1/apps/hostile/functions/hog/invoke", "{}");
            assertEquals(429, refused.status(), refused.body());
            assertTrue(refused.body().contains("LAAMBDA_INSTANCE_MEMORY"), refused.body());
        } finally {
            assertEquals(200, admin.patch("/api/v1/apps/hostile/formation/hog", "{\"memory_mb\":256}").status());
        }
    }

    @Test
    void aConfigValueWithANulIsRefusedAndNothingIsStored() {
        int before = admin.get("/api/v1/apps/neighbour").json().get("current_release").asInt();
        TestApi.Response refused = admin.patch("/api/v1/apps/neighbour/config", "{\"BAD\":\"a\\u0000b\"}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("invalid_config_value", refused.errorCode());
        assertFalse(refused.body().contains("a\\u0000b"), refused.body());
        assertEquals(before, admin.get("/api/v1/apps/neighbour").json().get("current_release").asInt());
    }

    private static void assertNeighbourAnswers() {
        TestApi.Response answer = admin.send("POST", "/api/v1/apps/neighbour/functions/web/invoke", "{\"n\":7}");
        assertEquals(200, answer.status(), answer.body());
        assertEquals("{\"neighbour\": \"ok\", \"echo\": 7}", answer.body());
    }

    private static JsonNode invoke(String app, String entry, String event) throws IOException {
        TestApi.Response response = admin.send("POST", "/api/v1/apps/" + app + "/functions/" + entry + "/invoke", event);
        assertEquals(200, response.status(), response.body());
        return JSON.readTree(response.body());
    }

    /** The neighbour's instance's address on the function network: that of the namespace it joined. */
    private static String neighbourAddress() {
        String holder = docker.client().listContainersCmd().exec().stream()
                .filter(c -> c.getNames()[0].startsWith("/laambda-neighbour-web-"))
                .map(c -> c.getHostConfig().getNetworkMode().replaceFirst("^container:", ""))
                .findFirst().orElseThrow(() -> new AssertionError("no neighbour instance running"));
        return docker.client().inspectContainerCmd(holder).exec().getNetworkSettings().getNetworks()
                .get("laambda-functions").getIpAddress();
    }
}
