package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deploy, config change or rollback switches every function at once, and never mixes two releases. */
class ReleaseSwitchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void pushTheApp() throws Exception {
        server = TestServer.start(Map.of("LAAMBDA_FUNCTION_CONCURRENCY", "2"));
        api = server.admin();
        TestGit developer = TestGit.newDeveloper();
        api.post("/api/v1/keys", "{\"public_key\":\"" + developer.publicKey() + "\"}");
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"switch\"}").status());
        assertEquals(200, api.patch("/api/v1/apps/switch/config", "{\"MARK\":\"first\"}").status());
        Path repo = developer.newRepo(Map.of("fn.py", """
                import os, time

                def handler(event, context):
                    time.sleep(event.get("sleep", 0))
                    if event.get("say"):
                        print("event says", event["say"])
                    return {"mark": os.environ.get("MARK"), "version": int(os.environ["AWS_LAMBDA_FUNCTION_VERSION"])}
                """, "Procfile", "fn: fn.handler\n"));
        assertTrue(developer.git(repo, "push", "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/switch.git", "main").ok());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anInvocationThatBeganOnOneReleaseFinishesOnItWhileTheNextGoesLive() throws Exception {
        JsonNode before = JSON.readTree(invoke("{}").body());
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> invoke("{\"sleep\": 3}"));
        Thread.sleep(1000);
        assertEquals(200, api.patch("/api/v1/apps/switch/config", "{\"MARK\":\"second\"}").status());

        JsonNode next = JSON.readTree(invoke("{}").body());
        assertEquals("second", next.get("mark").asText(), "the next invocation sees the new release at once");
        JsonNode finished = JSON.readTree(slow.get().body());
        assertEquals(before.get("version"), finished.get("version"), "the slow one finished on its own release");
        assertEquals(before.get("mark"), finished.get("mark"));
        api.patch("/api/v1/apps/switch/config", "{\"MARK\":\"first\"}");
    }

    @Test
    void theFinishOfAConfigChangeRetiresTheOldReleasesIdleInstancesBeforeAnyTrafficArrives() throws Exception {
        assertEquals(200, invoke("{}").statusCode());
        assertTrue(warmInstances() >= 1, "an instance of the current release is warm");

        assertEquals(200, api.patch("/api/v1/apps/switch/config", "{\"MARK\":\"third\"}").status());

        assertEquals(0, warmInstances(), "the old release's instances stopped as the new one went live");
        assertEquals("third", JSON.readTree(invoke("{}").body()).get("mark").asText());
        api.patch("/api/v1/apps/switch/config", "{\"MARK\":\"first\"}");
    }

    private static int warmInstances() {
        return api.get("/api/v1/apps/switch/formation").json().get(0).get("warm_instances").asInt();
    }

    @Test
    void aRollbackUnderAStreamOfInvocationsNeverYieldsAThirdRelease() throws Exception {
        int old = JSON.readTree(invoke("{}").body()).get("version").asInt();
        JsonNode target = api.get("/api/v1/apps/switch/releases?limit=100").json();
        int rollbackTo = 0;
        for (JsonNode release : target) {
            if (release.get("kind").asText().equals("deploy")) {
                rollbackTo = release.get("version").asInt();
                break;
            }
        }
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            streams.add(CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    HttpResponse<String> response = invoke("{}");
                    if (response.statusCode() == 200) {
                        seen.add(readVersion(response.body()));
                    }
                }
            }));
        }
        Thread.sleep(500);
        int rolledBack = api.post("/api/v1/apps/switch/releases/v" + rollbackTo + "/rollback", null).json().get("version").asInt();
        Thread.sleep(1000);
        running.set(false);
        CompletableFuture.allOf(streams.toArray(new CompletableFuture[0])).get();

        assertTrue(Set.of(old, rolledBack).containsAll(seen), "only the old and the new release answered: " + seen);
        assertTrue(seen.contains(rolledBack), "the rollback went live: " + seen);
    }

    @Test
    void invocationsOverTheConcurrencyLimitGet429AndTheFunctionKeepsServing() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(CompletableFuture.supplyAsync(() -> invoke("{\"sleep\": 4}")));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : burst) {
            statuses.add(response.get().statusCode());
        }
        assertEquals(2, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(3, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        assertEquals(200, invoke("{}").statusCode());
    }

    @Test
    void anEventInvocationIsAcceptedAt202AndRunsInTheBackground() throws Exception {
        String word = "w" + System.nanoTime();
        HttpResponse<String> accepted = send("{\"say\": \"" + word + "\"}", "Event");
        assertEquals(202, accepted.statusCode());
        boolean ran = false;
        for (int i = 0; i < 100 && !ran; i++) {
            Thread.sleep(100);
            ran = api.get("/api/v1/apps/switch/functions/fn/logs?lines=1000").body().contains("event says " + word);
        }
        assertTrue(ran, "the event ran: its output is in the function's log");
        assertEquals(204, send("{}", "DryRun").statusCode());
    }

    private static int readVersion(String body) {
        try {
            return JSON.readTree(body).get("version").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> invoke(String payload) {
        return send(payload, "RequestResponse");
    }

    private static HttpResponse<String> send(String payload, String type) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
                            + "/api/v1/apps/switch/functions/fn/invoke"))
                    .header("Authorization", "Bearer " + server.adminToken())
                    .header("X-Amz-Invocation-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
