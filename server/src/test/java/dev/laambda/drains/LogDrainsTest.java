package dev.laambda.drains;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.ServerConfig;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log drains, as Papertrail, ELK and Graylog receive them: collectors on loopback (syslog over TCP, syslog over TLS
 * with a self-signed certificate the server trusts through LAAMBDA_DRAIN_CA_FILE, and HTTPS taking NDJSON) get every
 * line of the app's stream in order; a collector that stops reading slows no invocation; loopback and private
 * addresses are refused unless LAAMBDA_DRAIN_ALLOW names them; a removed drain gets nothing more, and a restarted
 * server resumes after the last line it sent.
 */
class LogDrainsTest {

    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static SelfSignedCert cert;
    private static SyslogReceiver syslog;
    private static SyslogReceiver syslogTls;
    private static SyslogReceiver stalled;
    private static NdjsonReceiver https;
    private static Map<String, String> env;
    private static TestServer server;

    @BeforeAll
    static void startCollectorsAndPushTheApp() throws Exception {
        cert = SelfSignedCert.forLoopback();
        syslog = SyslogReceiver.plain();
        syslogTls = SyslogReceiver.tls(cert.serverContext());
        stalled = SyslogReceiver.stalled();
        https = new NdjsonReceiver(cert.serverContext());
        env = new HashMap<>(Map.of(ServerConfig.MASTER_KEY, MASTER_KEY, ServerConfig.BUILDER, "local",
                ServerConfig.INSTANCES, "process", ServerConfig.DRAIN_CA_FILE, cert.pemFile().toString(),
                ServerConfig.DRAIN_ALLOW, String.join(",", "127.0.0.1:" + syslog.port(), "127.0.0.1:" + syslogTls.port(),
                        "127.0.0.1:" + stalled.port(), "127.0.0.1:" + https.port())));
        server = TestServer.startOnHost(env);
        TestApp app = TestApp.create(server, "drained", Map.of("app.py", """
                def handler(event, context):
                    print("hello", event.get("name"))
                    if event.get("size"):
                        print("x" * event["size"])
                    return {"statusCode": 200, "body": "ok"}
                """, "requirements.txt", "", "Procfile", "web: app.handler\n"));
        app.pushAccepted();
        // The push's last lines are stored a moment after it returns: a drain added before would get them too.
        awaitTrue(() -> stored().stream().anyMatch(l -> l.get("line").asText().startsWith("       Done in")),
                () -> "the push's lines are stored");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        syslog.close();
        syslogTls.close();
        stalled.close();
        https.close();
    }

    @Test
    void aSyslogDrainOverTcpGetsEveryLineOfTheStreamInOrderInHerokusFraming() throws Exception {
        String url = "syslog://127.0.0.1:" + syslog.port();
        long id = addDrain(url);
        try {
            List<String> expected = invokeAndChangeConfig(id);

            awaitTrue(() -> syslog.messages().size() >= expected.size(), () -> String.join("\n", syslog.frames()));
            assertEquals(expected, syslog.messages().subList(0, expected.size()));
            String hello = syslog.frames().stream().filter(f -> f.endsWith(" - - hello " + expected.hashCode()))
                    .findFirst().orElse(syslog.frames().get(0));
            assertTrue(syslog.frames().stream().allMatch(frame -> frame.matches("<190>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d"
                    + ":\\d\\d\\.\\d{6}\\+00:00 drained (app web|laambda (api|router|build)) - - .*")), hello);
        } finally {
            removeDrain(id);
        }
    }

    @Test
    void aSyslogDrainOverTlsGetsEveryLineInOrderTrustingThePrivateCaTheOperatorNamed() throws Exception {
        long id = addDrain("syslog+tls://127.0.0.1:" + syslogTls.port());
        try {
            List<String> expected = invokeAndChangeConfig(id);

            awaitTrue(() -> syslogTls.messages().size() >= expected.size(), () -> String.join("\n", syslogTls.frames()));
            assertEquals(expected, syslogTls.messages().subList(0, expected.size()));
        } finally {
            removeDrain(id);
        }
    }

    @Test
    void anHttpsDrainGetsEveryLineAsNewlineDelimitedJsonWithTheFieldsOfTheLogsApi() throws Exception {
        int before = https.lines().size();
        long id = addDrain(https.url());
        try {
            List<String> expected = invokeAndChangeConfig(id);

            awaitTrue(() -> https.lines().size() - before >= expected.size(), () -> https.lines().toString());
            List<JsonNode> received = https.lines().subList(before, before + expected.size());
            assertEquals(expected, received.stream().map(line -> line.get("line").asText()).toList());
            List<JsonNode> stored = storedFrom(received.get(0).get("id").asLong());
            assertEquals(stored.subList(0, expected.size()), received, "each object has the fields GET …/logs gives");
            assertTrue(https.contentTypes().stream().allMatch("application/x-ndjson"::equals), https.contentTypes().toString());
        } finally {
            removeDrain(id);
        }
    }

    @Test
    void aCollectorThatStopsReadingSlowsNoInvocation() throws Exception {
        long withoutDrain = fiveInvocationsMillis("no-drain");
        long id = addDrain("syslog://127.0.0.1:" + stalled.port());
        try {
            awaitTrue(() -> stalled.connectionsAccepted() > 0, () -> "the forwarder connected");
            // Megabytes of lines, more than the connection's buffers hold: the forwarder's writes now block.
            for (int i = 0; i < 12; i++) {
                invoke("{\"name\":\"flood" + i + "\",\"size\":900000}");
            }
            String marker = "stalled-" + System.nanoTime();
            long withStalledDrain = fiveInvocationsMillis(marker);

            awaitTrue(() -> stored().stream().anyMatch(l -> l.get("line").asText().equals("hello " + marker + "-4")),
                    () -> "the invocations' lines are stored while the drain is stalled");
            assertTrue(forwardedId(id) < stored().get(stored().size() - 1).get("id").asLong(),
                    "the drain is really stalled: it has not got the newest lines");
            System.out.println("five invocations: " + withoutDrain + " ms without a drain, " + withStalledDrain
                    + " ms with a stalled one");
        } finally {
            removeDrain(id);
        }
    }

    @Test
    void loopbackPrivateLinkLocalAndCgnatDrainsAreRefusedUnlessTheOperatorAllowsThem() throws Exception {
        try (SyslogReceiver notAllowed = SyslogReceiver.plain()) {
            for (String url : List.of("syslog://127.0.0.1:" + notAllowed.port(), "syslog://localhost:" + notAllowed.port(),
                    "https://10.1.2.3/logs", "syslog+tls://169.254.169.254:6514", "syslog://100.64.0.1:514",
                    "syslog://192.168.1.10:514", "syslog://[::1]:514", "https://[fd00::1]/logs",
                    "https://127.0.0.1:" + https.port() + "0/drain")) {
                TestApi.Response refused = server.admin().post("/api/v1/apps/drained/drains", body(url));
                assertEquals(400, refused.status(), url + ": " + refused.body());
                assertEquals("drain_address_refused", refused.errorCode(), url);
                assertFalse(refused.errorMessage().contains("\n"));
            }
            assertEquals(0, server.admin().get("/api/v1/apps/drained/drains").json().size(), "nothing stored");
            assertTrue(notAllowed.frames().isEmpty());
        }
    }

    @Test
    void badDrainUrlsGetOneLineThatSaysWhatToFix() throws Exception {
        TestApi admin = server.admin();
        for (String url : List.of("ftp://logs.example.com:21", "syslog://logs.example.com", "syslog+tls://logs.example.com",
                "logs.example.com:514", "syslog://user@logs.example.com:514", "syslog://logs.example.com:514/path",
                "https://", "")) {
            TestApi.Response bad = admin.post("/api/v1/apps/drained/drains", body(url));
            assertEquals(400, bad.status(), url + ": " + bad.body());
            assertEquals("invalid_drain_url", bad.errorCode(), url);
        }
        assertEquals("A syslog drain needs a port, like syslog://logs.example.com:514 (got 'syslog://logs.example.com').",
                admin.post("/api/v1/apps/drained/drains", body("syslog://logs.example.com")).errorMessage());
        assertEquals("invalid_request", admin.post("/api/v1/apps/drained/drains", "{}").errorCode());
        assertEquals(404, admin.post("/api/v1/apps/nope/drains", body(https.url())).status());
        assertEquals("drain_not_found", admin.delete("/api/v1/apps/drained/drains/999999").errorCode());
        assertEquals(0, admin.get("/api/v1/apps/drained/drains").json().size(), "nothing stored");

        long id = addDrain(https.url());
        try {
            TestApi.Response twice = admin.post("/api/v1/apps/drained/drains", body(https.url()));
            assertEquals(400, twice.status(), twice.body());
            assertEquals("drain_exists", twice.errorCode());
            assertEquals(1, admin.get("/api/v1/apps/drained/drains").json().size());
        } finally {
            removeDrain(id);
        }
    }

    @Test
    void aRemovedDrainGetsNothingMore() throws Exception {
        int before = https.lines().size();
        long id = addDrain(https.url());
        String first = "kept-" + System.nanoTime();
        invoke("{\"name\":\"" + first + "\"}");
        awaitTrue(() -> receivedOverHttps(before).contains("hello " + first), () -> https.lines().toString());

        removeDrain(id);
        String second = "gone-" + System.nanoTime();
        invoke("{\"name\":\"" + second + "\"}");
        awaitTrue(() -> stored().stream().anyMatch(l -> l.get("line").asText().equals("hello " + second)),
                () -> "stored");
        Thread.sleep(3000); // as long as a forwarder would take to send it, were one still running

        assertFalse(receivedOverHttps(before).contains("hello " + second), receivedOverHttps(before).toString());
        assertTrue(receivedOverHttps(before).stream().noneMatch(line -> line.startsWith("Drain " + id + " ")
                && line.contains("removed")), "the drain's own removal is not sent to it");
    }

    @Test
    void aRestartedServerResumesAfterTheLastLineItSentWithoutDuplicatesOrGaps() throws Exception {
        int before = https.lines().size();
        long id = addDrain(https.url());
        try {
            String early = "before-restart-" + System.nanoTime();
            invoke("{\"name\":\"" + early + "\"}");
            awaitTrue(() -> receivedOverHttps(before).contains("hello " + early), () -> https.lines().toString());

            server = server.restart(env);
            String late = "after-restart-" + System.nanoTime();
            invoke("{\"name\":\"" + late + "\"}");
            awaitTrue(() -> receivedOverHttps(before).contains("hello " + late), () -> https.lines().toString());
            awaitTrue(() -> receivedOverHttps(before).stream().filter(l -> l.startsWith("REPORT")).count() >= 2,
                    () -> https.lines().toString());

            List<Long> received = https.lines().subList(before, https.lines().size()).stream()
                    .map(line -> line.get("id").asLong()).toList();
            List<Long> stored = storedFrom(received.get(0)).stream().map(line -> line.get("id").asLong())
                    .limit(received.size()).toList();
            assertEquals(stored, received, "every stored line once, in order, across the restart");
        } finally {
            removeDrain(id);
        }
    }

    @Test
    void destroyingTheAppDeletesItsDrains() {
        TestApi admin = server.admin();
        assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"short-lived\"}").status());
        assertEquals(201, admin.post("/api/v1/apps/short-lived/drains", body(https.url())).status());

        assertEquals(200, admin.delete("/api/v1/apps/short-lived?confirm=short-lived").status());
        assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"short-lived\"}").status());

        assertEquals(0, admin.get("/api/v1/apps/short-lived/drains").json().size());
        assertEquals(200, admin.delete("/api/v1/apps/short-lived?confirm=short-lived").status());
    }

    /**
     * Three invocations and a config change after the drain was added; returns the stream's lines from the drain's
     * own "added" line on, once all of them are stored: what the drain must receive, in this order.
     */
    private static List<String> invokeAndChangeConfig(long drainId) throws Exception {
        String marker = "m" + System.nanoTime();
        for (int i = 1; i <= 3; i++) {
            invoke("{\"name\":\"" + marker + "-" + i + "\"}");
        }
        assertEquals(200, server.admin().patch("/api/v1/apps/drained/config", "{\"GREETING\":\"" + marker + "\"}")
                .status());
        awaitTrue(() -> {
            List<String> lines = stored().stream().map(l -> l.get("line").asText()).toList();
            return lines.contains("hello " + marker + "-3") && lines.stream().anyMatch(l -> l.startsWith("Release v")
                    && l.contains("GREETING"));
        }, () -> "the lines are stored");
        List<String> lines = stored().stream().map(l -> l.get("line").asText()).toList();
        int added = lines.indexOf(lines.stream().filter(l -> l.startsWith("Drain " + drainId + " (")).findFirst()
                .orElseThrow());
        List<String> expected = lines.subList(added, lines.size());
        assertTrue(expected.contains("hello " + marker + "-2"), expected.toString());
        return expected;
    }

    private static long fiveInvocationsMillis(String marker) {
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            invoke("{\"name\":\"" + marker + "-" + i + "\"}");
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** How far the drain's row says it was forwarded. */
    private static long forwardedId(long drainId) throws Exception {
        dev.laambda.store.JdbcTarget target = dev.laambda.store.JdbcTarget.fromDatabaseUrl(server.databaseUrl());
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.user(),
                target.password());
             java.sql.PreparedStatement query = connection.prepareStatement(
                     "SELECT forwarded_id FROM log_drains WHERE id = ?")) {
            query.setLong(1, drainId);
            try (java.sql.ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getLong(1);
            }
        }
    }

    private static List<String> receivedOverHttps(int from) {
        return https.lines().subList(from, https.lines().size()).stream().map(l -> l.get("line").asText()).toList();
    }

    private static long addDrain(String url) {
        TestApi.Response added = server.admin().post("/api/v1/apps/drained/drains", body(url));
        assertEquals(201, added.status(), added.body());
        assertEquals(url, added.json().get("url").asText());
        return added.json().get("id").asLong();
    }

    /** Removes the drain, and waits for its "removed" line to be stored, so the next test's drain starts after it. */
    private static void removeDrain(long id) throws InterruptedException {
        TestApi.Response removed = server.admin().delete("/api/v1/apps/drained/drains/" + id);
        assertEquals(200, removed.status(), removed.body());
        awaitTrue(() -> stored().stream().anyMatch(l -> l.get("line").asText().startsWith("Drain " + id + " (")
                && l.get("line").asText().contains(") removed by ")), () -> "the removal is stored");
    }

    private static String body(String url) {
        return "{\"url\":\"" + url + "\"}";
    }

    private static List<JsonNode> stored() {
        return server.admin().getList("/api/v1/apps/drained/logs?n=10000");
    }

    private static List<JsonNode> storedFrom(long id) {
        return stored().stream().filter(line -> line.get("id").asLong() >= id).toList();
    }

    private static void invoke(String event) {
        TestApi.Response invoked = server.admin().post("/api/v1/apps/drained/functions/web/invoke", event);
        assertEquals(200, invoked.status(), invoked.body());
    }

    private static void awaitTrue(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(condition.get(), what);
    }
}
