package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AWS's unmodified Python runtime client talks to Laambda's Runtime API as it would to Lambda's: as a host
 * process, and in the run image's container through the runtime relay.
 */
@ParameterizedClass
@EnumSource(RuntimeSandbox.class)
class RuntimeApiConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @Parameter
    RuntimeSandbox sandbox;
    private RuntimeApiServer api;
    private RuntimeSandbox.Instance runtime;

    @BeforeAll
    static void installClient() {
        PythonRuntimeClient.install();
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theOfficialPythonClientReceivesTheEventWithLambdasContextAndReturnsTheResult() throws Exception {
        Path task = task("app.py", """
                def handler(event, context):
                    return {"width": event["width"], "request_id": context.aws_request_id,
                            "arn": context.invoked_function_arn, "remaining_ok": context.get_remaining_time_in_millis() > 0}
                """);
        startRuntime(task, "app.handler");

        Invocation invocation = invocation("{\"width\":64}");
        InvocationResult result = api.submit(invocation).get(60, TimeUnit.SECONDS);

        JsonNode response = JSON.readTree(assertInstanceOf(InvocationResult.Success.class, result).payload());
        assertEquals(64, response.get("width").asInt());
        assertEquals(invocation.requestId(), response.get("request_id").asText());
        assertEquals(invocation.functionArn(), response.get("arn").asText());
        assertTrue(response.get("remaining_ok").asBoolean());
    }

    @Test
    void aWarmInstanceServesOneEventAfterAnother() throws Exception {
        startRuntime(task("counter.py", "calls = 0\ndef handler(event, context):\n    global calls\n    calls += 1\n    return calls\n"),
                "counter.handler");
        for (int i = 1; i <= 5; i++) {
            InvocationResult result = api.submit(invocation("{}")).get(60, TimeUnit.SECONDS);
            assertEquals(String.valueOf(i), new String(((InvocationResult.Success) result).payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHandlerThatRaisesIsReportedWithLambdasErrorTypeAndStackTrace() throws Exception {
        startRuntime(task("boom.py", "def handler(event, context):\n    raise ValueError('width must be positive')\n"),
                "boom.handler");
        InvocationResult result = api.submit(invocation("{}")).get(60, TimeUnit.SECONDS);
        InvocationResult.Failure failure = assertInstanceOf(InvocationResult.Failure.class, result);
        JsonNode error = JSON.readTree(failure.body());
        assertEquals("ValueError", failure.errorType());
        assertEquals("width must be positive", error.get("errorMessage").asText());
        assertTrue(error.get("stackTrace").isArray() && error.get("stackTrace").size() > 0, error.toString());
    }

    @Test
    void aMissingHandlerModuleIsAnInitErrorThatTheWaitingInvocationReceives() throws Exception {
        startRuntime(task("present.py", "def handler(e, c):\n    return 1\n"), "absent.handler");
        CompletableFuture<InvocationResult> pending = api.submit(invocation("{}"));
        InvocationResult.Failure initError = api.initError().get(60, TimeUnit.SECONDS);
        assertEquals("Runtime.ImportModuleError", initError.errorType());
        InvocationResult.Failure failure = assertInstanceOf(InvocationResult.Failure.class, pending.get(10, TimeUnit.SECONDS));
        assertEquals("Runtime.ImportModuleError", failure.errorType());
    }

    @Test
    void theEndpointAnswersWithTheDocumentedStatusCodes() throws Exception {
        assumeTrue(sandbox == RuntimeSandbox.HOST_PROCESS, "speaks HTTP to the endpoint's loopback port itself");
        api = RuntimeApiServer.start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://" + api.address() + "/2018-06-01/runtime";
        Invocation invocation = invocation("{\"a\":1}");
        api.submit(invocation);

        HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(base + "/invocation/next")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, next.statusCode());
        assertEquals(invocation.requestId(), next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow());
        assertEquals(String.valueOf(invocation.deadlineEpochMs()), next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertEquals(invocation.traceId(), next.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow());
        assertEquals("{\"a\":1}", next.body());

        HttpResponse<String> tooLarge = post(http, base + "/invocation/" + invocation.requestId() + "/response",
                new byte[RuntimeApiServer.MAX_RESPONSE_BYTES + 1]);
        assertEquals(413, tooLarge.statusCode());
        InvocationResult.Failure failure = (InvocationResult.Failure) invocation.result().get(5, TimeUnit.SECONDS);
        assertEquals("Function.ResponseSizeTooLarge", failure.errorType());

        HttpResponse<String> unknown = post(http, base + "/invocation/no-such-id/response", "{}".getBytes());
        assertEquals(403, unknown.statusCode());
        assertEquals("InvalidRequestID", JSON.readTree(unknown.body()).get("errorType").asText());

        Invocation second = invocation("{}");
        api.submit(second);
        http.send(HttpRequest.newBuilder(URI.create(base + "/invocation/next")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ok = post(http, base + "/invocation/" + second.requestId() + "/response", "\"done\"".getBytes());
        assertEquals(202, ok.statusCode());
        assertEquals("OK", JSON.readTree(ok.body()).get("status").asText());
        HttpResponse<String> again = post(http, base + "/invocation/" + second.requestId() + "/response", "\"twice\"".getBytes());
        assertEquals(403, again.statusCode(), "a finished invocation cannot be answered twice");

        api.close();
        HttpResponse<String> afterClose;
        try {
            afterClose = http.send(HttpRequest.newBuilder(URI.create(base + "/invocation/next")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, afterClose.statusCode());
        } catch (java.io.IOException connectionRefused) {
            // Also a signal to exit: the endpoint is gone.
        }
    }

    private void startRuntime(Path task, String handler) throws Exception {
        runtime = sandbox.start("python3.13", handler, task, 128,
                endpoint -> PythonRuntimeClient.start(task, handler, endpoint.address(), task.resolve("runtime.log")));
        api = runtime.api();
    }

    private static Invocation invocation(String payload) {
        return new Invocation(UUID.randomUUID().toString(), payload.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + 30_000, "arn:aws:lambda:us-east-1:000000000000:function:conformance",
                "Root=1-00000000-000000000000000000000000;Sampled=0", null, null, new CompletableFuture<>());
    }

    private static Path task(String file, String code) throws Exception {
        Path dir = Files.createTempDirectory("laambda-task");
        Files.writeString(dir.resolve(file), code);
        return dir;
    }

    private static HttpResponse<String> post(HttpClient http, String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
