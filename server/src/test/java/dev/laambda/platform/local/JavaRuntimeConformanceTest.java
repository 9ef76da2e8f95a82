package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AWS's unmodified Java runtime client runs unmodified handlers (compiled here by javac against
 * aws-lambda-java-core) against Laambda's Runtime API as it would against Lambda's: as a host process started
 * by the Java buildpack's runtime/launch, and in the run image's container through the runtime relay.
 */
@ParameterizedClass
@EnumSource(RuntimeSandbox.class)
class JavaRuntimeConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    private static Path task;
    @Parameter
    RuntimeSandbox sandbox;
    private RuntimeApiServer api;
    private RuntimeSandbox.Instance runtime;
    private WireRecorder recorder;

    @BeforeAll
    static void installClientAndCompileHandlers() throws Exception {
        JavaRuntimeClient.install();
        task = JavaRuntimeClient.compile(temp, Map.of(
                "example/Hello.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.HashMap;
                        import java.util.Map;

                        public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                            @Override
                            public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                                Map<String, Object> result = new HashMap<>();
                                result.put("width", event.get("width"));
                                result.put("requestId", context.getAwsRequestId());
                                result.put("arn", context.getInvokedFunctionArn());
                                result.put("remainingMs", context.getRemainingTimeInMillis());
                                result.put("function", context.getFunctionName());
                                return result;
                            }
                        }
                        """,
                "example/Upper.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
                        import java.io.IOException;
                        import java.io.InputStream;
                        import java.io.OutputStream;
                        import java.nio.charset.StandardCharsets;
                        import java.util.Locale;

                        public class Upper implements RequestStreamHandler {
                            @Override
                            public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
                                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                                out.write(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                            }
                        }
                        """,
                "example/Counter.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.Map;

                        public class Counter implements RequestHandler<Map<String, Object>, Integer> {
                            private int calls;

                            @Override
                            public Integer handleRequest(Map<String, Object> event, Context context) {
                                return ++calls;
                            }
                        }
                        """,
                "example/Boom.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.Map;

                        public class Boom implements RequestHandler<Map<String, Object>, String> {
                            @Override
                            public String handleRequest(Map<String, Object> event, Context context) {
                                throw new IllegalArgumentException("width must be positive");
                            }
                        }
                        """,
                "example/Unconfigured.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.Map;

                        public class Unconfigured implements RequestHandler<Map<String, Object>, String> {
                            private static final String TABLE = table();

                            private static String table() {
                                String table = System.getenv("TABLE_NAME");
                                if (table == null) {
                                    throw new IllegalStateException("TABLE_NAME is not set");
                                }
                                return table;
                            }

                            @Override
                            public String handleRequest(Map<String, Object> event, Context context) {
                                return TABLE;
                            }
                        }
                        """));
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theOfficialJavaClientReceivesTheEventWithLambdasContextAndReturnsTheResult() throws Exception {
        startRuntime("example.Hello::handleRequest");

        Invocation invocation = invocation("{\"width\":64}");
        InvocationResult result = api.submit(invocation).get(60, TimeUnit.SECONDS);

        JsonNode response = JSON.readTree(assertInstanceOf(InvocationResult.Success.class, result).payload());
        assertEquals(64, response.get("width").asInt());
        assertEquals(invocation.requestId(), response.get("requestId").asText());
        assertEquals(invocation.functionArn(), response.get("arn").asText());
        assertEquals("conformance", response.get("function").asText());
        long remaining = response.get("remainingMs").asLong();
        assertTrue(remaining > 0 && remaining <= 30_000, "remaining time from Lambda-Runtime-Deadline-Ms: " + remaining);
    }

    @Test
    void aStreamHandlerReadsTheRawEventAndWritesTheRawResponse() throws Exception {
        startRuntime("example.Upper::handleRequest");
        InvocationResult result = api.submit(invocation("{\"name\":\"ann\"}")).get(60, TimeUnit.SECONDS);
        assertEquals("{\"NAME\":\"ANN\"}",
                new String(assertInstanceOf(InvocationResult.Success.class, result).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void aWarmInstanceKeepsItsHandlerObjectFromOneEventToTheNext() throws Exception {
        startRuntime("example.Counter");
        for (int i = 1; i <= 3; i++) {
            InvocationResult result = api.submit(invocation("{}")).get(60, TimeUnit.SECONDS);
            assertEquals(String.valueOf(i), new String(assertInstanceOf(InvocationResult.Success.class, result).payload(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHandlerThatThrowsIsReportedWithTheExceptionClassMessageAndStackTrace() throws Exception {
        Optional<WireRecorder> wire = startRecordedRuntime("example.Boom::handleRequest");
        Invocation invocation = invocation("{}");
        InvocationResult result = api.submit(invocation).get(60, TimeUnit.SECONDS);

        InvocationResult.Failure failure = assertInstanceOf(InvocationResult.Failure.class, result);
        JsonNode error = JSON.readTree(failure.body());
        assertEquals("java.lang.IllegalArgumentException", failure.errorType());
        assertEquals("java.lang.IllegalArgumentException", error.get("errorType").asText());
        assertEquals("width must be positive", error.get("errorMessage").asText());
        assertEquals("example.Boom.handleRequest(Boom.java:10)", error.get("stackTrace").get(0).asText(), error.toString());
        wire.ifPresent(recorded -> assertEquals("Runtime.UserException",
                recorded.errorTypeHeader("/invocation/" + invocation.requestId() + "/error")));
    }

    @Test
    void aHandlerClassThatDoesNotExistFailsEachInvocationWithClassNotFound() throws Exception {
        Optional<WireRecorder> wire = startRecordedRuntime("example.Absent::handleRequest");
        Invocation invocation = invocation("{}");
        InvocationResult result = api.submit(invocation).get(60, TimeUnit.SECONDS);

        // Unlike the Python client, the Java one does not post a missing class to /init/error: it stays up and
        // fails every invocation with it, which is what Lambda shows for Java: {"errorMessage":"Class not found: ...",
        // "errorType":"java.lang.ClassNotFoundException"}. Only an error while loading the class is an init error.
        InvocationResult.Failure failure = assertInstanceOf(InvocationResult.Failure.class, result);
        JsonNode error = JSON.readTree(failure.body());
        assertEquals("java.lang.ClassNotFoundException", failure.errorType());
        assertEquals("Class not found: example.Absent", error.get("errorMessage").asText());
        wire.ifPresent(recorded -> assertEquals("Runtime.BadFunctionCode",
                recorded.errorTypeHeader("/invocation/" + invocation.requestId() + "/error")));
        assertTrue(runtime.runtime().alive(), "the instance stays up and fails the same way for the next event");
        InvocationResult again = api.submit(invocation("{}")).get(60, TimeUnit.SECONDS);
        assertEquals("java.lang.ClassNotFoundException", assertInstanceOf(InvocationResult.Failure.class, again).errorType());
    }

    @Test
    void aStaticInitializerThatThrowsIsAnInitErrorThatTheWaitingInvocationReceives() throws Exception {
        Optional<WireRecorder> wire = startRecordedRuntime("example.Unconfigured::handleRequest");
        CompletableFuture<InvocationResult> pending = api.submit(invocation("{}"));

        InvocationResult.Failure initError = api.initError().get(60, TimeUnit.SECONDS);
        JsonNode error = JSON.readTree(initError.body());
        assertEquals("java.lang.ExceptionInInitializerError", initError.errorType());
        assertEquals("Error loading class example.Unconfigured", error.get("errorMessage").asText());
        wire.ifPresent(recorded -> assertEquals("Runtime.BadFunctionCode",
                recorded.errorTypeHeader("/init/error")));
        InvocationResult.Failure failure = assertInstanceOf(InvocationResult.Failure.class, pending.get(10, TimeUnit.SECONDS));
        assertEquals("java.lang.ExceptionInInitializerError", failure.errorType());
        assertEquals(Optional.of(1), runtime.awaitExit(30), "the client exits with status 1 after reporting an init error");
    }

    private void startRuntime(String handler) throws Exception {
        Path log = Files.createTempFile(temp, "runtime", ".log");
        runtime = sandbox.start("java21", handler, task, 512, endpoint -> JavaRuntimeClient.start(task, handler, endpoint.address(), log));
        api = runtime.api();
    }

    /**
     * Starts the client behind a recorder, to see the headers it sends as well as what the server made of them.
     * A container's client reaches its endpoint only through the relay: there the wire is not recorded.
     */
    private Optional<WireRecorder> startRecordedRuntime(String handler) throws Exception {
        if (sandbox != RuntimeSandbox.HOST_PROCESS) {
            startRuntime(handler);
            return Optional.empty();
        }
        Path log = Files.createTempFile(temp, "runtime", ".log");
        runtime = sandbox.start("java21", handler, task, 512, endpoint -> {
            try {
                recorder = WireRecorder.relayTo(endpoint.address());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return JavaRuntimeClient.start(task, handler, recorder.address(), log);
        });
        api = runtime.api();
        return Optional.of(recorder);
    }

    private static Invocation invocation(String payload) {
        return new Invocation(UUID.randomUUID().toString(), payload.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + 30_000, "arn:aws:lambda:us-east-1:000000000000:function:conformance",
                "Root=1-00000000-000000000000000000000000;Sampled=0", null, null, new CompletableFuture<>());
    }

    /**
     * A relay between the runtime client and the Runtime API that notes the error-type header of each error
     * post, which the server folds into its result, so a test can check what went over the wire.
     */
    private static final class WireRecorder implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final Map<String, String> errorTypes = new ConcurrentHashMap<>();

        private WireRecorder(String target) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> relay(exchange, target));
            server.start();
        }

        static WireRecorder relayTo(String target) throws IOException {
            return new WireRecorder(target);
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        /** The Lambda-Runtime-Function-Error-Type the client sent to the path ending in {@code suffix}. */
        String errorTypeHeader(String suffix) {
            return errorTypes.entrySet().stream().filter(entry -> entry.getKey().endsWith(suffix))
                    .map(Map.Entry::getValue).findFirst().orElse("(no such request: " + errorTypes.keySet() + ")");
        }

        private void relay(HttpExchange exchange, String target) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getRawPath();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + target + path))
                        .method(exchange.getRequestMethod(), body.length == 0 && exchange.getRequestMethod().equals("GET")
                                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.regionMatches(true, 0, "Lambda-Runtime-", 0, 15) || name.equalsIgnoreCase("Content-Type")) {
                        values.forEach(value -> request.header(name, value));
                    }
                });
                String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                if (errorType != null) {
                    errorTypes.put(path, errorType);
                }
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().map().forEach((name, values) -> {
                    if (name.regionMatches(true, 0, "Lambda-Runtime-", 0, 15) || name.equalsIgnoreCase("Content-Type")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                exchange.getResponseBody().write(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
