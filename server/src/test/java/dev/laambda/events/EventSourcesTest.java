package dev.laambda.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.ServerConfig;
import dev.laambda.store.JdbcTarget;
import dev.laambda.testing.MotoServer;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function's event sources through the API: each change a release, refusals one line with nothing stored, kept by
 * a deploy and restored by a rollback; and on the local platform a schedule fires the function of the current
 * release with Lambda's Scheduled Event, once per tick however many servers share the database.
 */
class EventSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders";
    private static final String WEB = "/api/v1/apps/clock/functions/web/event-sources";
    private static final String TICK = "/api/v1/apps/clock/functions/tick/event-sources";
    private static final String BUCKET = "laambda-events";
    private static MotoServer moto;
    private static Map<String, String> shared;
    private static TestServer server;
    private static TestApp app;
    private static TestApi admin;

    @BeforeAll
    static void pushTheApp() {
        // A second server joins this one's database in one test: servers of one database share an artifact bucket.
        moto = MotoServer.start();
        shared = moto.settingsForServersSharing(BUCKET);
        server = TestServer.startOnHost(shared);
        app = TestApp.createWith(server, "clock", "{\"name\":\"clock\",\"region\":\"us-east-1\"}", Map.of("app.py", """
                import json

                def handler(event, context):
                    return {"statusCode": 200, "body": "ok"}

                def tick(event, context):
                    print("EVENT " + json.dumps(event))
                    return "ticked"
                """, "requirements.txt", "", "Procfile", "web: app.handler\ntick: app.tick\n"));
        app.pushAccepted();
        admin = server.admin();
    }

    /** Each story starts from functions without event sources. */
    @AfterEach
    void clearEventSources() {
        for (String path : List.of(WEB, TICK)) {
            if (admin.get(path).json().size() > 0) {
                assertEquals(200, admin.delete(path + "?all=true").status());
            }
        }
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
    void eachChangeIsAReleaseThatADeployKeepsAndARollbackRestores() {
        TestApi.Response added = admin.post(WEB, "{\"source\":\"sqs:" + QUEUE + "\",\"batch_size\":5}");
        assertEquals(201, added.status(), added.body());
        assertEquals("event_sources", added.json().get("release").get("kind").asText());
        int withQueue = added.json().get("release").get("version").asInt();
        assertEquals(201, admin.post(WEB, "{\"source\":\"schedule:rate(5 minutes)\"}").status());

        JsonNode listed = admin.get(WEB).json();
        assertEquals(2, listed.size(), listed.toString());
        assertEquals("sqs:" + QUEUE + "?batch_size=5", listed.get(0).get("source").asText());
        assertEquals(5, listed.get(0).get("batch_size").asInt());
        assertEquals("not supported on the local platform", listed.get(0).get("note").asText());
        assertEquals("schedule:rate(5 minutes)", listed.get(1).get("source").asText());
        assertFalse(listed.get(1).has("note"), listed.toString());

        String pushed = pushAgain("second");
        assertEquals(1, pushed.lines().filter(l -> l.contains("not supported on the local platform")).count(), pushed);
        assertTrue(pushed.contains("Event sources not supported on the local platform (kept, not run): web sqs:" + QUEUE),
                pushed);
        assertEquals(listed, admin.get(WEB).json(), "the deploy kept them");

        TestApi.Response removed = admin.delete(WEB + "?source=" + encode("sqs:" + QUEUE));
        assertEquals(200, removed.status(), removed.body());
        assertEquals(List.of("schedule:rate(5 minutes)"), sources(removed.json().get("event_sources")));
        TestApi.Response cleared = admin.delete(WEB + "?all=true");
        assertEquals(200, cleared.status(), cleared.body());
        assertEquals(List.of(), sources(admin.get(WEB).json()));

        TestApi.Response rolledBack = admin.post("/api/v1/apps/clock/releases/" + (withQueue + 1) + "/rollback", "");
        assertEquals(201, rolledBack.status(), rolledBack.body());
        assertEquals(List.of("sqs:" + QUEUE + "?batch_size=5", "schedule:rate(5 minutes)"), sources(admin.get(WEB).json()));
    }

    @Test
    void refusalsAreOneLineAndStoreNothing() {
        assertEquals(201, admin.post(WEB, "{\"source\":\"s3:uploads/in/\"}").status());
        int version = currentVersion();

        assertRefused(admin.post(WEB, "{\"source\":\"s3:uploads/in/\"}"), 409, "event_source_exists");
        assertRefused(admin.post(WEB, "{\"source\":\"every minute\"}"), 400, "invalid_event_source");
        assertRefused(admin.post(WEB, "{\"source\":\"sqs:arn:aws:sqs:eu-west-1:123456789012:q\"}"), 400,
                "invalid_event_source");
        assertRefused(admin.post(WEB, "{\"source\":\"kinesis:" + QUEUE + "\"}"), 400, "invalid_event_source");
        assertRefused(admin.post(WEB, "{\"source\":\"schedule:cron(0 12 * * *)\"}"), 400, "invalid_event_source");
        assertRefused(admin.post(WEB, "{\"source\":\"s3:Not_A_Bucket\"}"), 400, "invalid_event_source");
        assertRefused(admin.post(WEB, "{}"), 400, null);
        assertRefused(admin.post("/api/v1/apps/clock/functions/nope/event-sources", "{\"source\":\"s3:uploads\"}"), 404,
                "entry_not_found");
        assertRefused(admin.get("/api/v1/apps/clock/functions/nope/event-sources"), 404, "entry_not_found");
        assertRefused(admin.delete(WEB + "?source=" + encode("s3:elsewhere")), 404, "event_source_not_found");
        assertRefused(admin.delete(WEB), 400, "invalid_request");
        assertRefused(admin.delete(TICK + "?all=true"), 409, "no_event_sources");

        assertEquals(version, currentVersion(), "no release was made");
        assertEquals(List.of("s3:uploads/in/"), sources(admin.get(WEB).json()));
    }

    @Test
    void aOneMinuteScheduleFiresTheFunctionWithLambdasScheduledEvent() throws Exception {
        addTickSchedule();
        Instant tick = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));

        assertEquals(1, server.laambda().schedules().runDueTicks(tick.plusSeconds(7)));
        assertEquals(0, server.laambda().schedules().runDueTicks(tick.plusSeconds(30)), "a tick fires once");

        List<JsonNode> events = awaitEvents(tick, 1);
        JsonNode event = events.get(0);
        assertEquals("0", event.get("version").asText());
        assertTrue(event.get("id").asText().matches("[0-9a-f-]{36}"), event.toString());
        assertEquals("Scheduled Event", event.get("detail-type").asText());
        assertEquals("aws.events", event.get("source").asText());
        assertEquals("000000000000", event.get("account").asText());
        assertEquals(tick.toString(), event.get("time").asText());
        assertEquals("us-east-1", event.get("region").asText());
        assertEquals(1, event.get("resources").size());
        assertTrue(event.get("resources").get(0).asText().matches(
                "arn:aws:events:us-east-1:000000000000:rule/clock-tick-[0-9a-f]{8}"), event.toString());
        assertEquals(0, event.get("detail").size());
        assertEquals(1, ticksRows(tick));
    }

    @Test
    void twoServersOnOneDatabaseFireATickOnce() throws Exception {
        addTickSchedule();
        Instant tick = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));
        Map<String, String> onHost = new java.util.HashMap<>(shared);
        onHost.putAll(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process"));
        try (TestServer other = server.another(onHost)) {
            // Both compete for the tick at the same moment; the winner invokes (the other downloads the code from the bucket).
            CompletableFuture<Integer> here = CompletableFuture.supplyAsync(() -> server.laambda().schedules().runDueTicks(tick));
            CompletableFuture<Integer> there = CompletableFuture.supplyAsync(() -> other.laambda().schedules().runDueTicks(tick));

            assertEquals(1, here.get() + there.get());
            assertEquals(1, ticksRows(tick));
            assertEquals(1, awaitEvents(tick, 1).size());
        }
        assertEquals(0, server.laambda().schedules().runDueTicks(tick));
    }

    @Test
    void aMinuteTheScheduleDoesNotNameFiresNothing() {
        Instant noon = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(12));
        assertEquals(201, admin.post(TICK, "{\"source\":\"schedule:cron(0 12 * * ? *)\"}").status());

        assertEquals(0, server.laambda().schedules().runDueTicks(noon.plus(Duration.ofMinutes(1))));
        assertEquals(1, server.laambda().schedules().runDueTicks(noon));
    }

    private static void addTickSchedule() {
        assertEquals(201, admin.post(TICK, "{\"source\":\"schedule:rate(1 minute)\"}").status());
    }

    /** The events the tick function printed for {@code tick}, once {@code count} are in the app's log stream. */
    private static List<JsonNode> awaitEvents(Instant tick, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> events = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            events.clear();
            for (JsonNode line : admin.get("/api/v1/apps/clock/logs?n=1000&entry=tick").json()) {
                String text = line.get("line").asText();
                if (text.startsWith("EVENT ")) {
                    JsonNode event = JSON.readTree(text.substring("EVENT ".length()));
                    if (event.get("time").asText().equals(tick.toString())) {
                        events.add(event);
                    }
                }
            }
            if (events.size() >= count) {
                Thread.sleep(1000);
                return events;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no event for " + tick + " in " + admin.get("/api/v1/apps/clock/logs?n=50&entry=tick").body());
    }

    private static int ticksRows(Instant tick) throws Exception {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl(server.databaseUrl());
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM event_source_ticks "
                     + "WHERE app_id = ? AND entry = 'tick' AND source = 'schedule:rate(1 minute)' AND tick_at = ?")) {
            query.setLong(1, server.appId("clock"));
            query.setTimestamp(2, Timestamp.from(tick));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static String pushAgain(String word) {
        app.commit(Map.of("NOTES", word), word);
        return app.pushAccepted();
    }

    private static int currentVersion() {
        return admin.get("/api/v1/apps/clock").json().get("current_release").asInt();
    }

    private static void assertRefused(TestApi.Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        if (code != null) {
            assertEquals(code, response.errorCode(), response.body());
        }
        assertFalse(response.errorMessage().isBlank() || response.errorMessage().contains("\n"), response.body());
    }

    private static List<String> sources(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false).map(s -> s.get("source").asText()).toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
