package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pushed app's functions run on Laambda's local runtime (AWS's awslambdaric in a process) and answer invokes. */
class InvokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.start();
        api = server.admin();
        TestGit developer = TestGit.newDeveloper();
        api.post("/api/v1/keys", "{\"public_key\":\"" + developer.publicKey() + "\"}");
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"thumbs\"}").status());
        Path repo = developer.newRepo(Map.of(
                "CreateThumbnail.py", """
                        import os
                        import six

                        def handler(event, context):
                            print("creating", event.get("width"))
                            return {"created": event.get("width"), "greeting": os.environ.get("GREETING", "hello"),
                                    "function": context.function_name, "version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"]}
                        """,
                "Broken.py", "def handler(event, context):\n    raise ValueError('width must be positive')\n",
                "Slow.py", "import time\ndef handler(event, context):\n    time.sleep(30)\n",
                "Exits.py", "import os\nos._exit(3)\n",
                "requirements.txt", "six==1.16.0\n",
                "Procfile", "create: CreateThumbnail.handler\nbroken: Broken.handler\nslow: Slow.handler\nmissing: Nope.handler\nexits: Exits.handler\n"));
        TestGit.Result push = developer.git(repo, "push",
                "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/thumbs.git", "main");
        assertTrue(push.ok(), push.output());
        assertEquals(200, api.patch("/api/v1/apps/thumbs/formation/slow", "{\"timeout_s\":1}").status());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void invokingAFunctionRunsItsHandlerWithLambdasContext() throws Exception {
        HttpResponse<String> response = invoke("create", "{\"width\":64}", true);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals(64, result.get("created").asInt());
        assertEquals("thumbs-create", result.get("function").asText());
        String log = new String(Base64.getDecoder().decode(response.headers().firstValue("X-Amz-Log-Result").orElseThrow()),
                StandardCharsets.UTF_8);
        assertTrue(log.startsWith("START RequestId: "), log);
        assertTrue(log.contains("creating 64"), log);
        assertTrue(log.contains("END RequestId: ") && log.contains("REPORT RequestId: ") && log.contains("Billed Duration: "), log);
    }

    @Test
    void aConfigChangeAndARollbackAreSeenByTheVeryNextInvocation() throws Exception {
        assertEquals(200, api.patch("/api/v1/apps/thumbs/config", "{\"GREETING\":\"hi\"}").status());
        JsonNode changed = JSON.readTree(invoke("create", "{}", false).body());
        assertEquals("hi", changed.get("greeting").asText());
        int withHi = changed.get("version").asInt();

        api.post("/api/v1/apps/thumbs/releases/v" + (withHi - 1) + "/rollback", null);
        JsonNode rolledBack = JSON.readTree(invoke("create", "{}", false).body());
        assertEquals("hello", rolledBack.get("greeting").asText());
        assertEquals(withHi + 1, rolledBack.get("version").asInt());
    }

    @Test
    void aHandlerThatRaisesAnswersWithLambdasErrorDocument() throws Exception {
        HttpResponse<String> response = invoke("broken", "{}", false);
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("ValueError", error.get("errorType").asText());
        assertEquals("width must be positive", error.get("errorMessage").asText());
        assertTrue(error.get("stackTrace").size() > 0);
    }

    @Test
    void aHandlerThatNeverReturnsTimesOutAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> response = invoke("slow", "{}", false);
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        assertTrue(response.body().contains("Task timed out after 1.00 seconds"), response.body());
        assertEquals(200, invoke("create", "{\"width\":1}", false).statusCode());
    }

    @Test
    void aHandlerModuleThatDoesNotExistIsAnImportModuleError() throws Exception {
        HttpResponse<String> response = invoke("missing", "{}", false);
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        assertEquals("Runtime.ImportModuleError", JSON.readTree(response.body()).get("errorType").asText());
    }

    @Test
    void aRuntimeThatExitsDuringInitIsAnExitErrorAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> response = invoke("exits", "{}", false);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("Runtime.ExitError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().contains("exit status 3"), response.body());
        assertEquals(200, invoke("create", "{\"width\":2}", false).statusCode());
    }

    @Test
    void functionsShowTheirStateAndKeepTheirLog() throws Exception {
        invoke("create", "{\"width\":77}", false);
        JsonNode functions = api.get("/api/v1/apps/thumbs/formation").json();
        JsonNode create = null;
        for (JsonNode function : functions) {
            if (function.get("entry").asText().equals("create")) {
                create = function;
            }
        }
        assertEquals("Active", create.get("state").asText(), functions.toString());
        assertTrue(create.get("warm_instances").asInt() >= 1, functions.toString());

        JsonNode lines = api.get("/api/v1/apps/thumbs/functions/create/logs?lines=500").json();
        StringBuilder log = new StringBuilder();
        lines.forEach(line -> log.append(line.get("message").asText()).append('\n'));
        assertTrue(log.toString().contains("creating 77"), log.toString());
        assertTrue(log.toString().contains("START RequestId: ") && log.toString().contains("REPORT RequestId: "),
                log.toString());
        assertEquals(400, api.get("/api/v1/apps/thumbs/functions/create/logs?lines=zero").status());
        TestApi.Response unknown = api.get("/api/v1/apps/thumbs/functions/nope/logs");
        assertEquals(404, unknown.status());
        assertEquals("entry_not_found", unknown.errorCode(), "our own code: AWS names belong to the AWS Invoke API");
        assertEquals("App 'thumbs' has no Procfile entry 'nope' (see `laambda functions`).", unknown.errorMessage());
    }

    @Test
    void badRequestsAreRefusedLikeLambdaRefusesThem() throws Exception {
        assertEquals(404, invoke("nothing", "{}", false).statusCode());
        assertEquals(400, invoke("create", "{not json", false).statusCode());
        HttpResponse<String> tooLarge = invoke("create", "\"" + "x".repeat(6 * 1024 * 1024) + "\"", false);
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().contains("RequestTooLargeException"), tooLarge.body());
        assertEquals(404, api.post("/api/v1/apps/ghost/functions/create/invoke", "{}").status());
    }

    private static HttpResponse<String> invoke(String entry, String payload, boolean tail) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/apps/thumbs/functions/"
                        + entry + "/invoke"))
                .header("Authorization", "Bearer " + server.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (tail) {
            request.header("X-Amz-Log-Type", "Tail");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
