package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function container reaches its own Runtime API and nothing else: not another instance's, not one on
 * the host's loopback, so no function can take another's invocations or answer them.
 */
class RuntimeApiIsolationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String THIEF = """
            import http.client, json, os, socket

            def next_event(connection):
                try:
                    connection.request("GET", "/2018-06-01/runtime/invocation/next")
                    answer = connection.getresponse()
                    return "got %d %s" % (answer.status, answer.getheader("Lambda-Runtime-Aws-Request-Id"))
                except Exception as e:
                    return "failed: %s" % type(e).__name__

            class UnixConnection(http.client.HTTPConnection):
                def __init__(self, path):
                    super().__init__("localhost", timeout=2)
                    self.path = path
                def connect(self):
                    self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self.sock.connect(self.path)

            def handler(event, context):
                return {
                    "host_loopback": next_event(http.client.HTTPConnection("127.0.0.1", event["port"], timeout=2)),
                    "other_socket": next_event(UnixConnection(event["socket"])),
                    "interfaces": sorted(os.listdir("/sys/class/net")),
                    "own_socket": os.path.exists("/var/laambda/runtime-api/api.sock"),
                }
            """;
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : started) {
            each.close();
        }
    }

    @Test
    void aFunctionContainerReachesNeitherAnotherInstancesRuntimeApiNorOneOnTheHostsLoopback() throws Exception {
        RuntimeSandbox.Instance victim = start("victim.py", "def handler(event, context):\n    return 'victim answered ' + event['n']\n",
                "victim.handler");
        RuntimeSandbox.Instance thief = start("thief.py", THIEF, "thief.handler");
        RuntimeApiServer loopback = RuntimeApiServer.start();
        started.add(loopback);
        Invocation waitingOnLoopback = invocation("{}");
        loopback.submit(waitingOnLoopback);
        Path victimSocket = victim.api().socketDirectory().orElseThrow().resolve(RuntimeApiServer.SOCKET_NAME);
        Invocation victimsEvent = invocation("{\"n\":\"1\"}");
        CompletableFuture<InvocationResult> victimsResult = victim.api().submit(victimsEvent);

        InvocationResult stolen = thief.api().submit(invocation("{\"port\":" + loopback.address().split(":")[1]
                + ",\"socket\":\"" + victimSocket + "\"}")).get(60, TimeUnit.SECONDS);

        JsonNode saw = JSON.readTree(assertInstanceOf(InvocationResult.Success.class, stolen,
                () -> "thief failed: " + thief.output()).payload());
        assertTrue(saw.get("host_loopback").asText().startsWith("failed: "), saw.toString());
        assertTrue(saw.get("other_socket").asText().startsWith("failed: "), saw.toString());
        assertEquals("[\"eth0\",\"lo\"]", saw.get("interfaces").toString(),
                "its own namespace: one interface on the function network and its own loopback");
        assertTrue(saw.get("own_socket").asBoolean(), saw.toString());
        assertEquals("\"victim answered 1\"", new String(assertInstanceOf(InvocationResult.Success.class,
                victimsResult.get(60, TimeUnit.SECONDS)).payload(), StandardCharsets.UTF_8));
        HttpResponse<String> stillWaiting = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + loopback.address() + "/2018-06-01/runtime/invocation/next")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(waitingOnLoopback.requestId(), stillWaiting.headers().firstValue("Lambda-Runtime-Aws-Request-Id")
                .orElseThrow(), "the loopback endpoint's event was not taken");
        assertFalse(waitingOnLoopback.result().isDone());
    }

    @Test
    void anInstancesSocketDirectoryIsPrivateToItAndGoneWhenItStops() throws Exception {
        RuntimeSandbox.Instance instance = start("app.py", "def handler(event, context):\n    return 1\n", "app.handler");
        Path directory = instance.api().socketDirectory().orElseThrow();
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.getParent())), "no one else reaches the sockets");
        assertInstanceOf(InvocationResult.Success.class, instance.api().submit(invocation("{}")).get(60, TimeUnit.SECONDS));
        instance.close();
        assertFalse(Files.exists(directory), "the socket's directory is removed with its instance");
    }

    private RuntimeSandbox.Instance start(String file, String code, String handler) throws Exception {
        Path task = Files.createTempDirectory("laambda-task");
        Files.writeString(task.resolve(file), code);
        RuntimeSandbox.Instance instance = RuntimeSandbox.RUN_IMAGE_CONTAINER.start("python3.13", handler, task, 128, null);
        started.add(instance);
        return instance;
    }

    private static Invocation invocation(String payload) {
        return new Invocation(UUID.randomUUID().toString(), payload.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + 30_000, "arn:aws:lambda:us-east-1:000000000000:function:isolation",
                "Root=1-00000000-000000000000000000000000;Sampled=0", null, null, new CompletableFuture<>());
    }
}
