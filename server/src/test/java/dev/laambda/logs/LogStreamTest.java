package dev.laambda.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.ServerConfig;
import dev.laambda.testing.LogTail;
import dev.laambda.testing.MotoServer;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app's one log stream, as `laambda logs` reads it: function output, router, release and build lines in
 * Heroku's format, filtered before the count, and tailed as Server-Sent Events that resume where they left off
 * and see what another server on the same database wrote.
 */
class LogStreamTest {

    private static final String BUCKET = "laambda-logs";
    private static MotoServer moto;
    private static Map<String, String> shared;
    private static TestServer server;

    @BeforeAll
    static void pushTheApp() {
        // A second server joins this one's database in one test: servers of one database share an artifact bucket.
        moto = MotoServer.start();
        shared = moto.settingsForServersSharing(BUCKET);
        server = TestServer.startOnHost(shared);
        TestApp app = TestApp.create(server, "diary", Map.of("app.py", """
                def handler(event, context):
                    print("hello", (event.get("queryStringParameters") or {}).get("name", event.get("name")))
                    return {"statusCode": 200, "body": "ok"}
                """, "requirements.txt", "", "Procfile", "web: app.handler\n"));
        app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void theStreamHoldsFunctionOutputRouterReleaseAndBuildLinesInHerokusFormat() throws Exception {
        curl("/hello?name=ann");

        List<JsonNode> lines = await("/api/v1/apps/diary/logs?n=1000", all -> has(all, "app", "web", "hello ann")
                && has(all, "laambda", "router", "at=info method=GET path=\"/hello\""));

        assertTrue(has(lines, "laambda", "build", "-----> Python app detected"), texts(lines));
        assertTrue(has(lines, "laambda", "api", "Release v2 created by admin@localhost (Deploy "), texts(lines));
        assertTrue(has(lines, "app", "web", "START RequestId: "), texts(lines));
        assertTrue(has(lines, "app", "web", "REPORT RequestId: "), texts(lines));
        JsonNode router = lines.stream().filter(l -> l.get("process").asText().equals("router")).reduce((a, b) -> b)
                .orElseThrow();
        assertTrue(router.get("line").asText().matches("at=info method=GET path=\"/hello\" host=diary\\.localhost "
                + "request_id=[0-9a-f-]{36} status=200 duration=\\d+ms"), router.toString());
        JsonNode hello = lines.stream().filter(l -> l.get("line").asText().equals("hello ann")).findFirst().orElseThrow();
        assertTrue(hello.get("text").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 "
                + "app\\[web]: hello ann"), hello.get("text").asText());
    }

    @Test
    void filtersApplyBeforeTheCount() throws Exception {
        invoke("{\"name\":\"bob\"}");
        await("/api/v1/apps/diary/logs?n=1000", all -> has(all, "app", "web", "hello bob"));
        List<JsonNode> lastOfFunction = list("/api/v1/apps/diary/logs?n=1&source=app&entry=web");
        String requestId = lastOfFunction.get(0).get("request_id").asText();

        List<JsonNode> invocation = list("/api/v1/apps/diary/logs?n=100&request_id=" + requestId);

        assertEquals(1, lastOfFunction.size());
        assertTrue(invocation.get(0).get("line").asText().startsWith("START RequestId: " + requestId), texts(invocation));
        assertTrue(has(invocation, "app", "web", "hello bob"), texts(invocation));
        assertTrue(invocation.get(invocation.size() - 1).get("line").asText().startsWith("REPORT"), texts(invocation));
        assertTrue(list("/api/v1/apps/diary/logs?n=5&source=laambda&since=1h").stream()
                .allMatch(l -> l.get("source").asText().equals("laambda")));
    }

    @Test
    void badFiltersAndCallersWithoutAccessGetOneLineAndNothingStreamed() {
        TestApi admin = server.admin();
        assertEquals("invalid_lines", admin.get("/api/v1/apps/diary/logs?n=0").errorCode());
        assertEquals("invalid_lines", admin.get("/api/v1/apps/diary/logs?n=100001").errorCode());
        assertEquals("invalid_since", admin.get("/api/v1/apps/diary/logs?since=yesterday").errorCode());
        assertEquals("invalid_source", admin.get("/api/v1/apps/diary/logs?source=kernel").errorCode());
        assertEquals(404, admin.get("/api/v1/apps/nope/logs").status());
        assertEquals("entry_not_found", admin.get("/api/v1/apps/diary/logs?entry=worker").errorCode());
        TestApi.Response stranger = server.newUser("stranger@example.com").get("/api/v1/apps/diary/logs/stream");
        assertTrue(stranger.status() == 403 || stranger.status() == 404, stranger.body());
        assertTrue(stranger.body().startsWith("{"), "a JSON error, not a stream: " + stranger.body());
        assertEquals("invalid_last_event_id", admin.get("/api/v1/apps/diary/logs/stream?last_event_id=abc").errorCode());
        assertEquals("event_stream_required", admin.get("/api/v1/apps/diary/logs/stream").errorCode());
    }

    @Test
    void aTailStartedBeforeAnInvocationShowsItsOutputAndResumesAfterTheLastEventIdItSaw() throws Exception {
        String word = "w" + System.nanoTime();
        try (LogTail tail = tail("/api/v1/apps/diary/logs/stream?n=1", null)) {
            invoke("{\"name\":\"" + word + "\"}");
            JsonNode seen = tail.next(line -> line.get("line").asText().equals("hello " + word));
            long id = seen.get("id").asLong();

            try (LogTail resumed = tail("/api/v1/apps/diary/logs/stream", Long.toString(id))) {
                invoke("{\"name\":\"again\"}");
                JsonNode first = resumed.next(line -> true);
                assertEquals(id + 1, first.get("id").asLong(), "the resumed stream starts right after the last one seen");
            }
        }
    }

    @Test
    void aTailWhoseClientWentAwayIsDropped() throws Exception {
        awaitOpenTails(0, "the other tests' tails, closed by their clients, are let go of first");
        LogTail tail = tail("/api/v1/apps/diary/logs/stream?n=1", null);
        tail.next(line -> true);
        assertEquals(1, server.laambda().openLogTails());

        tail.close();

        awaitOpenTails(0, "the server let go of the tail (its heartbeat failed)");
    }

    @Test
    void aServerStoppingWhileItsTailsReceiveLinesEndsThemAndLeavesNoThreadBehind() throws Exception {
        Map<String, String> onHost = new java.util.HashMap<>(shared);
        onHost.putAll(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process"));
        java.util.concurrent.atomic.AtomicBoolean invoking = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread lines = new Thread(() -> {
            for (int i = 0; invoking.get(); i++) {
                invoke("{\"name\":\"busy-" + i + "\"}");
            }
        });
        try (TestServer other = server.another(onHost)) {
            List<LogTail> tails = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tails.add(LogTail.open(other, other.adminToken(), "/api/v1/apps/diary/logs/stream?n=200", null));
            }
            lines.start();
            tails.get(0).next(line -> line.get("line").asText().startsWith("hello busy-"));
            other.close(); // while the tails on it are being sent this server's and the other's lines
        } finally {
            invoking.set(false);
            lines.join();
        }

        awaitNoThreadIn("io.javalin.http.servlet.JavalinServlet", Duration.ofSeconds(10));
        String word = "w" + System.nanoTime();
        try (LogTail tail = tail("/api/v1/apps/diary/logs/stream?n=1", null)) {
            invoke("{\"name\":\"" + word + "\"}");
            tail.next(line -> line.get("line").asText().equals("hello " + word));
        }
    }

    /** Polls until no thread of this JVM (the server runs in it) is inside {@code className}. */
    private static void awaitNoThreadIn(String className, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> busy = threadsIn(className);
        while (!busy.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            busy = threadsIn(className);
        }
        assertEquals(List.of(), busy, "threads still handling a request whose client went away");
    }

    private static List<String> threadsIn(String className) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> java.util.Arrays.stream(entry.getValue()).anyMatch(frame -> frame.getClassName().equals(className)))
                .map(entry -> entry.getKey().getName()).toList();
    }

    private static void awaitOpenTails(int count, String why) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.laambda().openLogTails() != count && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(count, server.laambda().openLogTails(), why);
    }

    @Test
    void aTailOnOneServerSeesWhatHappenedThroughAnotherOnTheSameDatabase() throws Exception {
        Map<String, String> onHost = new java.util.HashMap<>(shared);
        onHost.putAll(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process"));
        try (TestServer other = server.another(onHost);
             LogTail tail = tail("/api/v1/apps/diary/logs/stream?n=1&source=laambda", null)) {
            other.newUser("carol@example.com");
            assertEquals(201, other.admin().post("/api/v1/apps/diary/collaborators",
                    "{\"email\":\"carol@example.com\"}").status());
            TestApi.Response changed = other.admin().patch("/api/v1/apps/diary/config", "{\"VIA\":\"b\"}");
            assertEquals(200, changed.status(), changed.body());

            JsonNode added = tail.next(line -> line.get("line").asText().startsWith("carol@example.com added"));
            JsonNode released = tail.next(line -> line.get("line").asText()
                    .matches("Release v\\d+ created by admin@localhost \\(Set VIA config var\\)"));

            assertEquals("api", added.get("process").asText());
            assertEquals("api", released.get("process").asText());
        }
    }

    private static boolean has(List<JsonNode> lines, String source, String process, String prefix) {
        return lines.stream().anyMatch(l -> l.get("source").asText().equals(source)
                && l.get("process").asText().equals(process) && l.get("line").asText().startsWith(prefix));
    }

    private static String texts(List<JsonNode> lines) {
        return String.join("\n", lines.stream().map(l -> l.get("text").asText()).toList());
    }

    private static List<JsonNode> list(String path) {
        return server.admin().getList(path);
    }

    /** Lines are stored a moment after they happen: asks until {@code ready} holds (at most 10 s). */
    private static List<JsonNode> await(String path, Predicate<List<JsonNode>> ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonNode> lines = list(path);
        while (!ready.test(lines) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            lines = list(path);
        }
        assertTrue(ready.test(lines), texts(lines));
        return lines;
    }

    private static void invoke(String event) {
        assertEquals(200, server.admin().post("/api/v1/apps/diary/functions/web/invoke", event).status());
    }

    private static void curl(String path) throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-H", "Host: diary.localhost", server.url() + path)
                .redirectErrorStream(true).start();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
    }

    private static LogTail tail(String path, String lastEventId) throws Exception {
        return LogTail.open(server, server.adminToken(), path, lastEventId);
    }
}
