package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.ServerConfig;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `laambda drains`, drains:add and drains:remove against a real server: one line per outcome, exit 1 on bad input. */
class DrainsCommandsTest {

    @TempDir
    Path home;

    @Test
    void anAddedDrainIsListedAndRemovedByItsUrlAndBadInputIsOneLineAndExitOne() throws Exception {
        try (ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestServer server = TestServer.startOnHost(Map.of(ServerConfig.DRAIN_ALLOW,
                     "127.0.0.1:" + collector.getLocalPort()))) {
            assertEquals(201, server.admin().post("/api/v1/apps", "{\"name\":\"drained\"}").status());
            Map<String, String> env = Map.of("HOME", home.toString(), "LAAMBDA_SERVER", server.url(),
                    "LAAMBDA_TOKEN", server.adminToken());
            String url = "syslog://127.0.0.1:" + collector.getLocalPort();

            CliRun added = CliRun.run(env, home, "drains:add", url, "-a", "drained");
            CliRun listed = CliRun.run(env, home, "drains", "-a", "drained");
            CliRun json = CliRun.run(env, home, "drains", "-a", "drained", "--json");

            assertEquals(0, added.exitCode(), added.err());
            assertTrue(added.out().matches("Successfully added drain " + url + " to drained \\(id \\d+\\)\n"), added.out());
            assertTrue(listed.out().startsWith("=== drained Drains\n"), listed.out());
            assertTrue(listed.out().contains(url), listed.out());
            JsonNode drains = new ObjectMapper().readTree(json.out());
            assertEquals(url, drains.get(0).get("url").asText());

            CliRun refused = CliRun.run(env, home, "drains:add", "syslog://127.0.0.1:1", "-a", "drained");
            assertEquals(1, refused.exitCode());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().contains("LAAMBDA_DRAIN_ALLOW"), refused.err());
            CliRun bad = CliRun.run(env, home, "drains:add", "ftp://logs.example.com", "-a", "drained");
            assertEquals(1, bad.exitCode());
            assertTrue(bad.err().contains("A drain URL must be syslog+tls://HOST:PORT"), bad.err());

            CliRun removed = CliRun.run(env, home, "drains:remove", url, "-a", "drained");
            assertEquals(0, removed.exitCode(), removed.err());
            assertEquals("Successfully removed drain " + url + " from drained\n", removed.out());
            CliRun again = CliRun.run(env, home, "drains:remove", url, "-a", "drained");
            assertEquals(1, again.exitCode());
            assertEquals(1, again.err().strip().lines().count(), again.err());
            assertEquals("[ ]", CliRun.run(env, home, "drains", "-a", "drained", "--json").out().strip()
                    .replaceAll("\\s+", " "));
        }
    }
}
