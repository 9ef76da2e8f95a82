package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Laambda's implementation of the AWS Lambda Runtime API, version 2018-06-01, for one function
 * instance: the runtime interface client inside the instance long-polls `next` for events and posts
 * each outcome back. Names, headers and status codes follow AWS's documentation exactly.
 */
public final class RuntimeApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeApiServer.class);

    /** Lambda's synchronous response limit: 6 MB. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final Pattern INVOCATION_POST = Pattern.compile("^/2018-06-01/runtime/invocation/([^/]+)/(response|error)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService threads;
    /** Events no `next` has asked for yet, and the `next` waiting for an event: at most one is non-empty. */
    private final Deque<Invocation> queued = new ArrayDeque<>();
    private HttpExchange waitingNext;
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<InvocationResult.Failure> initError = new CompletableFuture<>();
    private final CompletableFuture<Void> firstPoll = new CompletableFuture<>();
    private volatile boolean closed;

    private RuntimeApiServer(HttpServer http, ExecutorService threads) {
        this.http = http;
        this.threads = threads;
    }

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, the runtime client's
        // delayed ACK stalls every exchange ~40 ms. A Runtime API lives on loopback round trips: send at once.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Listens on a free loopback port. */
    public static RuntimeApiServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "runtime-api");
                thread.setDaemon(true);
                return thread;
            });
            RuntimeApiServer server = new RuntimeApiServer(http, threads);
            http.createContext(PREFIX, server::handle);
            http.setExecutor(threads);
            http.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Could not start a Runtime API endpoint: " + e.getMessage(), e);
        }
    }

    /** The value of AWS_LAMBDA_RUNTIME_API for the instance: host:port. */
    public String address() {
        return "127.0.0.1:" + http.getAddress().getPort();
    }

    /**
     * Hands an event to the runtime: straight into the `next` it is waiting on (answered on this thread, no
     * hand-over to another), else queued for its next `next`.
     */
    public CompletableFuture<InvocationResult> submit(Invocation invocation) {
        HttpExchange waiting;
        synchronized (this) {
            if (closed) {
                invocation.result().complete(failure("Runtime.ExitError", "The runtime is no longer running."));
                return invocation.result();
            }
            waiting = waitingNext;
            waitingNext = null;
            if (waiting == null) {
                queued.add(invocation);
                return invocation.result();
            }
        }
        try {
            handOver(waiting, invocation);
        } catch (IOException e) {
            inFlight.remove(invocation.requestId());
            invocation.result().complete(failure("Runtime.ExitError", "The runtime's connection closed: " + e.getMessage()));
        } finally {
            waiting.close();
        }
        return invocation.result();
    }

    /** Completes when the runtime reports an init error (POST /runtime/init/error). */
    public CompletableFuture<InvocationResult.Failure> initError() {
        return initError;
    }

    /** Completes when the runtime first asks for an event: its init phase is over. */
    public CompletableFuture<Void> firstPoll() {
        return firstPoll;
    }

    /** Fails every queued and in-flight invocation with {@code failure} (the runtime died or was stopped). */
    public void failAll(InvocationResult.Failure failure) {
        for (Invocation invocation : inFlight.values()) {
            invocation.result().complete(failure);
        }
        inFlight.clear();
        List<Invocation> dropped;
        synchronized (this) {
            dropped = new ArrayList<>(queued);
            queued.clear();
        }
        dropped.forEach(next -> next.result().complete(failure));
    }

    @Override
    public void close() {
        HttpExchange waiting;
        synchronized (this) {
            closed = true;
            waiting = waitingNext;
            waitingNext = null;
        }
        failAll(failure("Runtime.ExitError", "The runtime was stopped."));
        if (waiting != null) {
            try (waiting) {
                answerShuttingDown(waiting);
            } catch (IOException gone) {
                log.debug("event=runtime_gone_at_close error={}", gone.getMessage());
            }
        }
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!closed && method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
            next(exchange);
            return;
        }
        try (exchange) {
            if (closed) {
                answerShuttingDown(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
                initError(exchange);
            } else if (method.equals("POST") && INVOCATION_POST.matcher(path).matches()) {
                outcome(exchange, INVOCATION_POST.matcher(path));
            } else {
                answer(exchange, 404, error("NotFound", "No such Runtime API resource: " + method + " " + path));
            }
        } catch (RuntimeException e) {
            log.error("event=runtime_api_failed", e);
            throw e;
        }
    }

    /**
     * Long poll: answers with a queued event at once, else keeps the exchange open (no thread waits on it)
     * until {@link #submit} answers it with the next event, or {@link #close} with a 500.
     */
    private void next(HttpExchange exchange) throws IOException {
        firstPoll.complete(null);
        Invocation invocation;
        synchronized (this) {
            invocation = queued.poll();
            if (invocation == null && !closed) {
                // One runtime asks one `next` at a time; an earlier one still open was abandoned by its client.
                HttpExchange replaced = waitingNext;
                waitingNext = exchange;
                if (replaced != null) {
                    replaced.close();
                }
                return;
            }
        }
        try (exchange) {
            if (invocation == null) {
                answerShuttingDown(exchange);
            } else {
                handOver(exchange, invocation);
            }
        }
    }

    /** Answers a `next` with the event and Lambda's headers; the invocation is in flight from then on. */
    private void handOver(HttpExchange exchange, Invocation invocation) throws IOException {
        inFlight.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        if (invocation.clientContext() != null) {
            headers.set("Lambda-Runtime-Client-Context", invocation.clientContext());
        }
        if (invocation.cognitoIdentity() != null) {
            headers.set("Lambda-Runtime-Cognito-Identity", invocation.cognitoIdentity());
        }
        exchange.sendResponseHeaders(200, invocation.payload().length == 0 ? -1 : invocation.payload().length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(invocation.payload());
        }
    }

    private void outcome(HttpExchange exchange, Matcher matcher) throws IOException {
        matcher.matches();
        String requestId = matcher.group(1);
        boolean isError = matcher.group(2).equals("error");
        Invocation invocation = inFlight.get(requestId);
        if (invocation == null) {
            drain(exchange.getRequestBody());
            answer(exchange, 403, error("InvalidRequestID", "Invalid request ID: '" + requestId
                    + "' is not an invocation in progress on this instance."));
            return;
        }
        byte[] body = readAtMost(exchange.getRequestBody(), MAX_RESPONSE_BYTES);
        if (body == null) {
            inFlight.remove(requestId);
            invocation.result().complete(failure("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes)."));
            answer(exchange, 413, error("RequestEntityTooLarge", "Payload size exceeded maximum allowed payload size ("
                    + MAX_RESPONSE_BYTES + " bytes)."));
            return;
        }
        inFlight.remove(requestId);
        if (isError) {
            String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
            invocation.result().complete(errorResult(errorType, body));
        } else {
            invocation.result().complete(new InvocationResult.Success(body));
        }
        answer(exchange, 202, Map.of("status", "OK"));
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = readAtMost(exchange.getRequestBody(), MAX_RESPONSE_BYTES);
        String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        InvocationResult.Failure failure = errorResult(errorType, body == null ? new byte[0] : body);
        initError.complete(failure);
        failAll(failure);
        answer(exchange, 202, Map.of("status", "OK"));
    }

    /** The runtime's error document when it sent one, else one made from the error-type header (Lambda's rule). */
    private static InvocationResult.Failure errorResult(String errorTypeHeader, byte[] body) {
        try {
            var document = body.length == 0 ? null : JSON.readTree(body);
            if (document != null && document.isObject()) {
                String type = document.path("errorType").asText(errorTypeHeader == null ? "Unhandled" : errorTypeHeader);
                return new InvocationResult.Failure(type, body);
            }
        } catch (IOException notJson) {
            // Fall through: Lambda builds the error from the header.
        }
        String type = errorTypeHeader == null ? "Unhandled" : errorTypeHeader;
        return failure(type, body.length == 0 ? type : new String(body, StandardCharsets.UTF_8));
    }

    static InvocationResult.Failure failure(String errorType, String message) {
        try {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("errorMessage", message);
            document.put("errorType", errorType);
            document.put("stackTrace", List.of());
            return new InvocationResult.Failure(errorType, JSON.writeValueAsBytes(document));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> error(String type, String message) {
        Map<String, String> document = new LinkedHashMap<>();
        document.put("errorMessage", message);
        document.put("errorType", type);
        return document;
    }

    /** What a `next` gets once the instance is stopping: the runtime is to exit. */
    private static void answerShuttingDown(HttpExchange exchange) throws IOException {
        answer(exchange, 500, error("Runtime.ExitError", "The instance is shutting down: the runtime must exit."));
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The body, or null when it is longer than {@code limit} (the rest is read and dropped). */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            drain(in);
            return null;
        }
        return body;
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }
}
