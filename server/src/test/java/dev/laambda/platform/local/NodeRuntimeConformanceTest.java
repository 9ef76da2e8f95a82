package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AWS's unmodified Node.js runtime client talks to Laambda's Runtime API as it would to Lambda's: as a host
 * process (aws-lambda-ric from npm, installed by the buildpack's runtime/install and started by its
 * runtime/launch), and in the run image's container through the runtime relay.
 */
@ParameterizedClass
@EnumSource(RuntimeSandbox.class)
class NodeRuntimeConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BUILDPACK = Path.of("..", "buildpacks", "nodejs").toAbsolutePath().normalize();
    private static final Path CLIENT = Path.of("target", "test-runtimes", "node-ric").toAbsolutePath();
    @Parameter
    RuntimeSandbox sandbox;
    private RuntimeApiServer api;
    private RuntimeSandbox.Instance runtime;

    @BeforeAll
    static void installClient() throws Exception {
        if (Files.isDirectory(CLIENT.resolve("node_modules").resolve("aws-lambda-ric"))) {
            return;
        }
        Files.createDirectories(CLIENT);
        Process install = new ProcessBuilder(BUILDPACK.resolve("runtime/install").toString(), CLIENT.toString())
                .redirectErrorStream(true).start();
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(15, TimeUnit.MINUTES) && install.exitValue() == 0, "runtime/install failed: " + output);
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
    void theOfficialNodeClientReceivesTheEventWithLambdasContextAndReturnsTheResult() throws Exception {
        start(Map.of("index.js", """
                exports.handler = async (event, context) => ({
                  width: event.width, requestId: context.awsRequestId, arn: context.invokedFunctionArn,
                  remainingOk: context.getRemainingTimeInMillis() > 0, name: context.functionName });
                """), "index.handler");
        Invocation invocation = invocation("{\"width\":64}");
        JsonNode response = success(invocation);
        assertEquals(64, response.get("width").asInt());
        assertEquals(invocation.requestId(), response.get("requestId").asText());
        assertEquals(invocation.functionArn(), response.get("arn").asText());
        assertTrue(response.get("remainingOk").asBoolean());
        assertEquals("conformance", response.get("name").asText());
    }

    @Test
    void esModuleAndCallbackHandlersWorkAndAWarmInstanceKeepsItsState() throws Exception {
        start(Map.of("counter.mjs", """
                let calls = 0;
                export const handler = async () => ({ calls: ++calls, esm: true });
                """), "counter.handler");
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, success(invocation("{}")).get("calls").asInt());
        }
        stop();
        start(Map.of("cb.js", "exports.handler = (event, context, callback) => callback(null, { echoed: event.x });\n"),
                "cb.handler");
        assertEquals("y", success(invocation("{\"x\":\"y\"}")).get("echoed").asText());
    }

    @Test
    void aHandlerThatThrowsIsReportedWithItsErrorTypeAndTrace() throws Exception {
        start(Map.of("boom.js", "exports.handler = async () => { throw new TypeError('width must be positive'); };\n"),
                "boom.handler");
        InvocationResult.Failure failure = assertInstanceOf(InvocationResult.Failure.class,
                api.submit(invocation("{}")).get(60, TimeUnit.SECONDS));
        JsonNode error = JSON.readTree(failure.body());
        assertEquals("TypeError", failure.errorType(), error.toString());
        assertEquals("width must be positive", error.get("errorMessage").asText());
        assertTrue(error.get("trace").isArray() && error.get("trace").size() > 0, error.toString());
    }

    @Test
    void aMissingModuleOrExportIsAnInitErrorThatTheWaitingInvocationReceives() throws Exception {
        start(Map.of("present.js", "exports.handler = async () => 1;\n"), "absent.handler");
        CompletableFuture<InvocationResult> pending = api.submit(invocation("{}"));
        assertEquals("Runtime.ImportModuleError", api.initError().get(60, TimeUnit.SECONDS).errorType());
        assertEquals("Runtime.ImportModuleError",
                assertInstanceOf(InvocationResult.Failure.class, pending.get(10, TimeUnit.SECONDS)).errorType());
        stop();

        start(Map.of("present.js", "exports.other = async () => 1;\n"), "present.handler");
        assertEquals("Runtime.HandlerNotFound", api.initError().get(60, TimeUnit.SECONDS).errorType());
    }

    private JsonNode success(Invocation invocation) throws Exception {
        InvocationResult result = api.submit(invocation).get(60, TimeUnit.SECONDS);
        return JSON.readTree(assertInstanceOf(InvocationResult.Success.class, result,
                () -> "failed: " + (result instanceof InvocationResult.Failure f ? new String(f.body(), StandardCharsets.UTF_8) : ""))
                .payload());
    }

    /** Writes the handler files and starts the buildpack's runtime/launch as the local platform does. */
    private void start(Map<String, String> files, String handler) throws IOException {
        Path task = Files.createTempDirectory("laambda-node-task");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(task.resolve(file.getKey()), file.getValue());
        }
        runtime = sandbox.start("nodejs20.x", handler, task, 128, endpoint -> {
            ProcessBuilder builder = new ProcessBuilder(BUILDPACK.resolve("runtime/launch").toString(), CLIENT.toString(), handler)
                    .directory(task.toFile()).redirectErrorStream(true).redirectOutput(task.resolve("runtime.log").toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin");
            env.put("LAAMBDA_HOST_PATH", System.getenv("PATH"));
            ConformanceFunction.environment(env, endpoint.address(), task, handler, 128);
            try {
                return builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        api = runtime.api();
    }

    private static Invocation invocation(String payload) {
        return new Invocation(UUID.randomUUID().toString(), payload.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + 30_000, "arn:aws:lambda:us-east-1:000000000000:function:conformance",
                "Root=1-00000000-000000000000000000000000;Sampled=0", null, null, new CompletableFuture<>());
    }
}
