package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without Docker (LAAMBDA_BUILDER=local, LAAMBDA_INSTANCES=process) a push builds on the host and says so,
 * and functions run as host processes with Lambda's environment: the fallback stays whole.
 */
class HostProcessPushTest {

    private static TestServer server;
    private static TestApi api;
    private static String pushOutput;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.startOnHost(Map.of());
        api = server.admin();
        TestApp app = TestApp.create(server, "hosted", Map.of(
                "where.py", """
                        import os

                        def handler(event, context):
                            print("running as pid", os.getpid())
                            return {"task_root": os.environ["LAMBDA_TASK_ROOT"], "cwd": os.getcwd(),
                                    "tmp": os.environ["TMPDIR"], "path": os.environ["PATH"],
                                    "host_path_leaked": "LAAMBDA_HOST_PATH" in os.environ}
                        """,
                "Procfile", "where: where.handler\n"));
        pushOutput = app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePushSaysTheBuildRanOnTheHost() {
        assertTrue(pushOutput.contains("Building with local processes (no Docker: builds run on the server's host)"),
                pushOutput);
    }

    @Test
    void aFunctionRunsAsAHostProcessWithLambdasEnvironment() {
        TestApi.Response response = api.post("/api/v1/apps/hosted/functions/where/invoke", "{}");
        assertEquals(200, response.status(), response.body());
        JsonNode where = response.json();
        String taskRoot = where.get("task_root").asText();
        assertNotEquals("/var/task", taskRoot, "the code is unpacked on the host, not mounted in a container");
        assertTrue(taskRoot.startsWith(server.dataDir().toString()), taskRoot);
        assertEquals(taskRoot, where.get("cwd").asText());
        assertTrue(where.get("path").asText().startsWith("/var/lang/bin:"), "Lambda's PATH: " + where);
        assertEquals(false, where.get("host_path_leaked").asBoolean());
        JsonNode lines = api.get("/api/v1/apps/hosted/functions/where/logs").json();
        assertTrue(lines.toString().contains("running as pid"), lines.toString());
    }
}
