package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.OutputLimits;
import dev.laambda.ServerConfig;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestPostgres;
import dev.laambda.testing.TestServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function's output costs the server a bounded amount whatever the function prints: lines over 256 KB are
 * split, an invocation keeps 1 MB and a marker says what was dropped, in the function's log and in the app's
 * stored log stream alike, the logs answer is at most 1 MB; and what a function prints while it initialises is
 * in its log, before the first START line. The server runs in a JVM of its own with a heap smaller than a
 * flood, which it would not survive if it held one ({@value #HEAP}, ending on OutOfMemoryError).
 */
class BoundedOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern DROPPED = Pattern.compile(
            "\\[laambda] output truncated: 1048576 bytes per invocation kept, (\\d+) bytes dropped");
    private static final String HEAP = "-Xmx96m";
    private static TestServerProcess server;
    private static TestApi api;

    @BeforeAll
    static void pushTheApp() throws IOException {
        server = TestServerProcess.start(Map.of(ServerConfig.DATA, Files.createTempDirectory("laambda-bounded").toString(),
                ServerConfig.DATABASE_URL, TestPostgres.newDatabaseUrl(), ServerConfig.BUILDER, "local",
                ServerConfig.INSTANCES, "process", ServerConfig.BUILDPACKS_DIR,
                Path.of("..", "buildpacks").toAbsolutePath().normalize().toString()),
                List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"));
        api = server.admin();
        TestApp app = TestApp.create(server, "loud", Map.of(
                "flood.py", """
                        import sys

                        def handler(event, context):
                            sys.stdout.write("x" * (5 * 1024 * 1024))
                            sys.stdout.flush()
                            return {"printed": 5 * 1024 * 1024}

                        def twenty(event, context):
                            line = "y" * 1023 + "\\n"
                            for _ in range(20 * 1024):
                                sys.stdout.write(line)
                            sys.stdout.flush()
                            return {"printed": 20 * 1024 * 1024}
                        """,
                "wide.py", """
                        def handler(event, context):
                            for i in range(4):
                                print("é" * 150000)
                            return {"lines": 4}
                        """,
                "chatty.py", """
                        print("chatty module initialising")

                        def handler(event, context):
                            print("chatty handling", event.get("n"))
                            return {"n": event.get("n")}
                        """,
                "Procfile", "flood: flood.handler\ntwenty: flood.twenty\nwide: wide.handler\nchatty: chatty.handler\n"));
        app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void theServerIsStillUp() {
        assertTrue(server.process().isAlive(), "the server process ended:\n" + server.output());
    }

    @Test
    void fiveMegabytesWithoutANewlineLeaveOneMegabyteInTheLogAndAMarker() throws IOException {
        Invoked invoked = invoke("flood", "{}");
        assertEquals(200, invoked.status(), invoked.body());
        assertEquals(5 * 1024 * 1024, JSON.readTree(invoked.body()).get("printed").asInt());
        assertTrue(invoked.logTail().contains("REPORT RequestId:"), invoked.logTail());

        List<String> lines = logLines("flood");
        String marker = lines.stream().filter(line -> DROPPED.matcher(line).matches()).findFirst().orElseThrow();
        Matcher dropped = DROPPED.matcher(marker);
        assertTrue(dropped.matches());
        assertTrue(Long.parseLong(dropped.group(1)) >= 4L * 1024 * 1024, marker);
        long printed = lines.stream().filter(line -> line.startsWith("x")).mapToLong(line -> line.length() + 1).sum();
        assertTrue(printed <= OutputLimits.MAX_INVOCATION_BYTES, "kept " + printed);
        assertTrue(printed > OutputLimits.MAX_INVOCATION_BYTES / 2, "kept " + printed);
        assertLinesWithinTheEventSize(lines);
    }

    @Test
    void twentyMegabytesOfOutputLeaveOneMegabyteAndTheMarkerInTheAppsStoredLogStream() throws Exception {
        Invoked invoked = invoke("twenty", "{}");
        assertEquals(200, invoked.status(), invoked.body());
        assertEquals(20 * 1024 * 1024, JSON.readTree(invoked.body()).get("printed").asInt());

        List<JsonNode> stored = storedLines("twenty");
        String requestId = stored.get(0).get("request_id").asText();
        assertTrue(stored.get(0).get("line").asText().startsWith("START RequestId: " + requestId), texts(stored));
        assertTrue(stored.stream().allMatch(line -> line.get("request_id").asText().equals(requestId)
                && line.get("process").asText().equals("twenty")), "all of one invocation");
        List<String> lines = stored.stream().map(line -> line.get("line").asText()).toList();
        Matcher dropped = lines.stream().map(DROPPED::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("no marker in " + lines.size() + " stored lines"));
        assertTrue(Long.parseLong(dropped.group(1)) >= 19L * 1024 * 1024, dropped.group());
        long printed = lines.stream().filter(line -> line.startsWith("y")).mapToLong(line -> line.length() + 1).sum();
        assertTrue(printed <= OutputLimits.MAX_INVOCATION_BYTES, "stored " + printed);
        assertTrue(printed > OutputLimits.MAX_INVOCATION_BYTES / 2, "stored " + printed);
        assertLinesWithinTheEventSize(lines);
        assertTrue(lines.get(lines.size() - 1).startsWith("REPORT RequestId: " + requestId), "REPORT last");
    }

    /** The app's stored stream for one entry, once the invocation's REPORT line is stored (at most 10 s). */
    private static List<JsonNode> storedLines(String entry) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<byte[]> response = get("/api/v1/apps/loud/logs?n=10000&entry=" + entry);
            assertEquals(200, response.statusCode());
            List<JsonNode> lines = new ArrayList<>();
            JSON.readTree(response.body()).forEach(lines::add);
            if (!lines.isEmpty() && lines.get(lines.size() - 1).get("line").asText().startsWith("REPORT")
                    || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    private static String texts(List<JsonNode> lines) {
        return String.join("\n", lines.stream().limit(20).map(line -> line.get("text").asText()).toList());
    }

    @Test
    void linesOf300KilobytesAreSplitBetweenCharactersAndTheLogsAnswerStaysUnderAMegabyte() {
        Invoked invoked = invoke("wide", "{}");
        assertEquals(200, invoked.status(), invoked.body());
        // The last 4 KB of the log, cut between characters: it decodes as UTF-8 and ends with REPORT.
        assertTrue(invoked.logTail().contains("END RequestId:"), invoked.logTail());
        invoke("wide", "{}");

        HttpResponse<byte[]> logs = get("/api/v1/apps/loud/functions/wide/logs?lines=10000");
        assertEquals(200, logs.statusCode());
        assertTrue(logs.body().length <= OutputLimits.MAX_LOG_BYTES, "logs answer of " + logs.body().length + " bytes");
        List<String> lines = messages(logs.body());
        assertTrue(lines.get(lines.size() - 1).startsWith("REPORT RequestId:"), "the newest lines are kept");
        assertTrue(lines.stream().anyMatch(line -> DROPPED.matcher(line).matches()), "the second invocation's marker");
        List<String> printed = lines.stream().filter(line -> line.startsWith("é")).toList();
        assertFalse(printed.isEmpty());
        assertTrue(printed.stream().allMatch(line -> line.chars().allMatch(c -> c == 'é')), "no broken character");
        assertTrue(printed.stream().anyMatch(line -> line.length() == OutputLimits.MAX_LINE_BYTES / 2),
                "a 300 KB line's first piece is exactly 256 KB");
        assertLinesWithinTheEventSize(lines);
    }

    @Test
    void whatAFunctionPrintsWhileItInitialisesIsInItsFirstLogBeforeStart() {
        String first = invoke("chatty", "{\"n\": 1}").logTail();
        int init = first.indexOf("chatty module initialising");
        int start = first.indexOf("START RequestId:");
        assertTrue(init >= 0 && start > init, first);
        assertTrue(first.indexOf("chatty handling 1") > start, first);
        assertTrue(first.contains("Init Duration:"), first);

        String second = invoke("chatty", "{\"n\": 2}").logTail();
        assertTrue(second.startsWith("START RequestId:"), second);
        assertTrue(second.contains("chatty handling 2"), second);
        assertFalse(second.contains("initialising"), second);
    }

    private static void assertLinesWithinTheEventSize(List<String> lines) {
        for (String line : lines) {
            int bytes = line.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= OutputLimits.MAX_LINE_BYTES, "a line of " + bytes + " bytes");
        }
    }

    private static List<String> logLines(String entry) {
        HttpResponse<byte[]> logs = get("/api/v1/apps/loud/functions/" + entry + "/logs?lines=10000");
        assertEquals(200, logs.statusCode());
        assertTrue(logs.body().length <= OutputLimits.MAX_LOG_BYTES, "logs answer of " + logs.body().length + " bytes");
        return messages(logs.body());
    }

    private static List<String> messages(byte[] body) {
        try {
            List<String> messages = new ArrayList<>();
            JSON.readTree(body).forEach(line -> messages.add(line.get("message").asText()));
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An invoke's status, body and its decoded X-Amz-Log-Result (strict UTF-8). */
    private record Invoked(int status, String body, String logTail) {
    }

    private static Invoked invoke(String entry, String event) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/apps/loud/functions/"
                        + entry + "/invoke")).header("X-Amz-Log-Type", "Tail")
                .POST(HttpRequest.BodyPublishers.ofString(event)), HttpResponse.BodyHandlers.ofString());
        byte[] tail = Base64.getDecoder().decode(response.headers().firstValue("X-Amz-Log-Result").orElse(""));
        assertTrue(tail.length <= 4096, "tail of " + tail.length + " bytes");
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(tail)).toString();
            return new Invoked(response.statusCode(), response.body(), text);
        } catch (CharacterCodingException e) {
            throw new AssertionError("X-Amz-Log-Result is not whole UTF-8", e);
        }
    }

    private static HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request.header("Authorization", "Bearer " + server.adminToken()).build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
