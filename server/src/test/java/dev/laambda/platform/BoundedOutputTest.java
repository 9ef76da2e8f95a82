package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.OutputLimits;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
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
 * split, an invocation keeps 1 MB and a marker says what was dropped, the logs answer is at most 1 MB; and
 * what a function prints while it initialises is in its log, before the first START line.
 */
class BoundedOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern DROPPED = Pattern.compile(
            "\\[laambda] output truncated: 1048576 bytes per invocation kept, (\\d+) bytes dropped");
    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.startOnHost(Map.of());
        api = server.admin();
        TestApp app = TestApp.create(server, "loud", Map.of(
                "flood.py", """
                        import sys

                        def handler(event, context):
                            sys.stdout.write("x" * (5 * 1024 * 1024))
                            sys.stdout.flush()
                            return {"printed": 5 * 1024 * 1024}
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
                "Procfile", "flood: flood.handler\nwide: wide.handler\nchatty: chatty.handler\n"));
        app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
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
