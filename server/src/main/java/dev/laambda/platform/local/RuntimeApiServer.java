package dev.laambda.platform.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.Directories;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Laambda's implementation of the AWS Lambda Runtime API, version 2018-06-01, for one function
 * instance: the runtime interface client inside the instance long-polls `next` for events and posts
 * each outcome back. Names, headers and status codes follow AWS's documentation exactly.
 *
 * <p>It listens where only its instance can reach it: a Unix socket in a directory mounted into that
 * instance's container alone ({@link #onSocketIn}), or, for runtimes that are host processes (no
 * isolation between apps), a free loopback port ({@link #start}).
 */
public final class RuntimeApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeApiServer.class);

    /** Lambda's synchronous response limit: 6 MB. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    /** The socket's name in the directory {@link #onSocketIn} listens in. */
    public static final String SOCKET_NAME = "api.sock";
    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final Pattern INVOCATION_POST = Pattern.compile("^/2018-06-01/runtime/invocation/([^/]+)/(response|error)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server jetty;
    private final AbstractConnector connector;
    private final Optional<Path> socketDirectory;
    /** Events no `next` has asked for yet, and the `next` waiting for an event: at most one is non-empty. */
    private final Deque<Invocation> queued = new ArrayDeque<>();
    private Exchange waitingNext;
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<InvocationResult.Failure> initError = new CompletableFuture<>();
    private final CompletableFuture<Void> firstPoll = new CompletableFuture<>();
    private volatile boolean closed;

    /** One request in progress: Jetty's request and response, and the callback that ends the exchange. */
    private record Exchange(Request request, Response response, Callback callback) {
    }

    /**
     * A Jetty server of few threads (an idle instance costs its selector thread) whose connector never
     * times out a connection: a `next` may wait for an event as long as the instance lives.
     */
    private RuntimeApiServer(Function<Server, AbstractConnector> connectorFor, Optional<Path> socketDirectory) {
        this.socketDirectory = socketDirectory;
        QueuedThreadPool threads = new QueuedThreadPool(8, 1, 30_000);
        threads.setName("runtime-api");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        jetty = new Server(threads);
        connector = connectorFor.apply(jetty);
        connector.setIdleTimeout(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                RuntimeApiServer.this.handle(new Exchange(request, response, callback));
                return true;
            }
        });
        jetty.setStopTimeout(0);
    }

    /** Listens on a free loopback port, for a runtime that is a process on this host (no isolation between apps). */
    public static RuntimeApiServer start() {
        RuntimeApiServer server = new RuntimeApiServer(jetty -> {
            // Accepted sockets get TCP_NODELAY (Jetty's default): a Runtime API lives on round trips.
            ServerConnector connector = new ServerConnector(jetty, 0, 1, http());
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            return connector;
        }, Optional.empty());
        server.listen();
        return server;
    }

    /**
     * Listens on the Unix socket {@value #SOCKET_NAME} in {@code directory}, which it creates (its parent must
     * exist) and removes on close. Any user who can reach the socket may connect: the directory is for
     * mounting into one container, and its parent is to be closed to everyone else.
     */
    public static RuntimeApiServer onSocketIn(Path directory) {
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the Runtime API directory " + directory + ": " + e.getMessage(), e);
        }
        Path socket = directory.resolve(SOCKET_NAME);
        RuntimeApiServer server = new RuntimeApiServer(jetty -> {
            UnixDomainServerConnector connector = new UnixDomainServerConnector(jetty, 0, 1, http());
            connector.setUnixDomainPath(socket);
            return connector;
        }, Optional.of(directory));
        server.listen();
        try {
            // The container's user connects, whatever its uid; connecting takes write permission on the socket.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("Could not open the Runtime API socket " + socket + ": " + e.getMessage(), e);
        }
        return server;
    }

    private void listen() {
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Could not start a Runtime API endpoint: " + e.getMessage(), e);
        }
    }

    private static HttpConnectionFactory http() {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        return new HttpConnectionFactory(config);
    }

    /** The value of AWS_LAMBDA_RUNTIME_API for a runtime on this host: host:port (loopback endpoints only). */
    public String address() {
        if (socketDirectory.isPresent()) {
            throw new IllegalStateException("The Runtime API listens on a Unix socket, not on a port");
        }
        return "127.0.0.1:" + ((ServerConnector) connector).getLocalPort();
    }

    /** The directory holding the socket, to mount into the instance's container: empty for a loopback endpoint. */
    public Optional<Path> socketDirectory() {
        return socketDirectory;
    }

    /**
     * Hands an event to the runtime: straight into the `next` it is waiting on (answered on this thread, no
     * hand-over to another), else queued for its next `next`.
     */
    public CompletableFuture<InvocationResult> submit(Invocation invocation) {
        Exchange waiting;
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
        handOver(waiting, invocation);
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

    /** Answers a waiting `next` with 500 (the runtime is to exit), stops listening and removes the socket. */
    @Override
    public void close() {
        Exchange waiting;
        synchronized (this) {
            closed = true;
            waiting = waitingNext;
            waitingNext = null;
        }
        failAll(failure("Runtime.ExitError", "The runtime was stopped."));
        if (waiting != null) {
            try {
                // Sent before the connector closes: a runtime still reading gets its answer, not a reset.
                answerShuttingDown(waiting).get(200, TimeUnit.MILLISECONDS);
            } catch (Exception gone) {
                log.debug("event=runtime_gone_at_close error={}", gone.getMessage());
            }
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("event=runtime_api_stop_failed error={}", e.getMessage());
        }
        socketDirectory.ifPresent(Directories::deleteTree);
    }

    private void handle(Exchange exchange) {
        String path = exchange.request().getHttpURI().getPath();
        String method = exchange.request().getMethod();
        try {
            if (closed) {
                answerShuttingDown(exchange);
            } else if (method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
                initError(exchange);
            } else if (method.equals("POST") && INVOCATION_POST.matcher(path).matches()) {
                outcome(exchange, INVOCATION_POST.matcher(path));
            } else {
                answer(exchange, 404, error("NotFound", "No such Runtime API resource: " + method + " " + path));
            }
        } catch (IOException | RuntimeException e) {
            log.error("event=runtime_api_failed", e);
            exchange.callback().failed(e);
        }
    }

    /**
     * Long poll: answers with a queued event at once, else keeps the exchange open (no thread waits on it)
     * until {@link #submit} answers it with the next event, or {@link #close} with a 500.
     */
    private void next(Exchange exchange) {
        firstPoll.complete(null);
        Invocation invocation;
        synchronized (this) {
            invocation = queued.poll();
            if (invocation == null && !closed) {
                // One runtime asks one `next` at a time; an earlier one still open was abandoned by its client.
                Exchange replaced = waitingNext;
                waitingNext = exchange;
                if (replaced != null) {
                    replaced.callback().failed(new IOException("replaced by a newer next"));
                }
                return;
            }
        }
        if (invocation == null) {
            answerShuttingDown(exchange);
        } else {
            handOver(exchange, invocation);
        }
    }

    /**
     * Answers a `next` with the event and Lambda's headers; the invocation is in flight from then on. Jetty
     * writes it on this thread when the socket takes it; a connection that closed fails the invocation.
     */
    private void handOver(Exchange exchange, Invocation invocation) {
        inFlight.put(invocation.requestId(), invocation);
        Response response = exchange.response();
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMs()));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
        headers.put("Lambda-Runtime-Trace-Id", invocation.traceId());
        if (invocation.clientContext() != null) {
            headers.put("Lambda-Runtime-Client-Context", invocation.clientContext());
        }
        if (invocation.cognitoIdentity() != null) {
            headers.put("Lambda-Runtime-Cognito-Identity", invocation.cognitoIdentity());
        }
        headers.put(HttpHeader.CONTENT_LENGTH, invocation.payload().length);
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap(invocation.payload()), Callback.from(exchange.callback()::succeeded, gone -> {
            inFlight.remove(invocation.requestId());
            invocation.result().complete(failure("Runtime.ExitError", "The runtime's connection closed: " + gone.getMessage()));
            exchange.callback().failed(gone);
        }));
    }

    private void outcome(Exchange exchange, Matcher matcher) throws IOException {
        matcher.matches();
        String requestId = matcher.group(1);
        boolean isError = matcher.group(2).equals("error");
        Invocation invocation = inFlight.get(requestId);
        InputStream in = Content.Source.asInputStream(exchange.request());
        if (invocation == null) {
            drain(in);
            answer(exchange, 403, error("InvalidRequestID", "Invalid request ID: '" + requestId
                    + "' is not an invocation in progress on this instance."));
            return;
        }
        byte[] body = readAtMost(in, MAX_RESPONSE_BYTES);
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
            String errorType = exchange.request().getHeaders().get("Lambda-Runtime-Function-Error-Type");
            invocation.result().complete(errorResult(errorType, body));
        } else {
            invocation.result().complete(new InvocationResult.Success(body));
        }
        answer(exchange, 202, Map.of("status", "OK"));
    }

    private void initError(Exchange exchange) throws IOException {
        byte[] body = readAtMost(Content.Source.asInputStream(exchange.request()), MAX_RESPONSE_BYTES);
        String errorType = exchange.request().getHeaders().get("Lambda-Runtime-Function-Error-Type");
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

    /** What a `next` gets once the instance is stopping: the runtime is to exit. Completes once sent. */
    private static CompletableFuture<Void> answerShuttingDown(Exchange exchange) {
        return answer(exchange, 500, error("Runtime.ExitError", "The instance is shutting down: the runtime must exit."));
    }

    private static CompletableFuture<Void> answer(Exchange exchange, int status, Object body) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Response response = exchange.response();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), Callback.from(() -> {
            exchange.callback().succeeded();
            sent.complete(null);
        }, failed -> {
            exchange.callback().failed(failed);
            sent.completeExceptionally(failed);
        }));
        return sent;
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
