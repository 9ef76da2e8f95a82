package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.ServerConfig;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server whose instance memory (LAAMBDA_INSTANCE_MEMORY) holds two 128 MB instances: a third is refused with
 * 429 and its reason, idle instances make room, and memory comes back from every instance that ends. Reserved
 * concurrency (a resources release) limits one function's instances, and 0 switches it off.
 */
class AdmissionControlTest {

    private static final String HANDLER = """
            import os, time

            def handler(event, context):
                time.sleep(event.get("sleep", 0))
                if event.get("exit"):
                    os._exit(3)
                return {"function": context.function_name, "mark": os.environ.get("MARK")}
            """;
    private static TestServer server;
    private static TestApi api;
    private static TestApp left;

    @BeforeAll
    static void pushTwoApps() {
        server = TestServer.startOnHost(Map.of(ServerConfig.INSTANCE_MEMORY, "256m"));
        api = server.admin();
        left = TestApp.create(server, "left", Map.of("fn.py", HANDLER,
                "Procfile", "slow: fn.handler\nalso: fn.handler\nbig: fn.handler\nhangs: fn.handler\nlimited: fn.handler\n"));
        left.pushAccepted();
        TestApp.create(server, "right", Map.of("fn.py", HANDLER, "Procfile", "slow: fn.handler\n")).pushAccepted();
        for (String entry : new String[] {"left/formation/slow", "left/formation/also", "left/formation/hangs",
                "left/formation/limited", "right/formation/slow"}) {
            assertEquals(200, api.patch("/api/v1/apps/" + entry, "{\"memory_mb\":128}").status(), entry);
        }
        assertEquals(200, api.patch("/api/v1/apps/left/formation/big", "{\"memory_mb\":256}").status());
        assertEquals(200, api.patch("/api/v1/apps/left/formation/hangs", "{\"timeout_s\":1}").status());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aThirdConcurrentInstanceWouldPassTheInstanceMemoryAndGets429WithTheReason() throws Exception {
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> invoke("left", "slow", "{\"sleep\":4}"));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> invoke("right", "slow", "{\"sleep\":4}"));
        Thread.sleep(1500);

        HttpResponse<String> third = invoke("left", "also", "{}");
        assertEquals(429, third.statusCode(), third.body());
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(third.body());
        assertEquals("TooManyRequestsException", error.get("code").asText());
        assertEquals("Rate Exceeded: starting another 128 MB instance of left-also would pass this server's instance "
                + "memory (LAAMBDA_INSTANCE_MEMORY=256 MB, 256 MB in use); retry later.", error.get("error").asText());

        HttpResponse<String> asAws = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/2015-03-31/functions/left-also/invocations"))
                .header("Authorization", "Bearer " + server.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(429, asAws.statusCode(), asAws.body());
        assertEquals("TooManyRequestsException", asAws.headers().firstValue("X-Amzn-ErrorType").orElseThrow());

        assertEquals(200, first.get().statusCode(), first.get().body());
        assertEquals(200, second.get().statusCode(), second.get().body());
        assertEquals(200, invoke("left", "also", "{}").statusCode(), "once they are idle, one makes room");
    }

    @Test
    void anIdleInstanceOfAnotherFunctionIsStoppedToMakeRoomLeastRecentlyUsedFirst() throws Exception {
        assertEquals(200, invoke("left", "slow", "{}").statusCode());
        Thread.sleep(50);
        assertEquals(200, invoke("right", "slow", "{}").statusCode());
        assertEquals(1, warm("left", "slow"));
        assertEquals(1, warm("right", "slow"));

        HttpResponse<String> also = invoke("left", "also", "{}");
        assertEquals(200, also.statusCode(), also.body());
        assertEquals(0, warm("left", "slow"), "the least recently used idle instance was stopped");
        assertEquals(1, warm("right", "slow"), "the more recently used one stays warm");
        assertEquals(1, warm("left", "also"));
    }

    @Test
    void memoryComesBackFromInstancesThatTimeOutDieOrWhoseReleaseRetires() throws Exception {
        HttpResponse<String> timedOut = invoke("left", "hangs", "{\"sleep\":5}");
        assertTrue(timedOut.body().contains("Task timed out after 1.00 seconds"), timedOut.body());
        HttpResponse<String> died = invoke("left", "slow", "{\"exit\":true}");
        assertTrue(died.body().contains("Runtime.ExitError"), died.body());
        assertEquals(200, invoke("right", "slow", "{}").statusCode());
        assertEquals(200, invoke("left", "also", "{}").statusCode());

        // New releases retire every pool of both apps: their idle instances stop, and nothing is left to evict.
        assertEquals(200, api.patch("/api/v1/apps/left/config", "{\"MARK\":\"" + System.nanoTime() + "\"}").status());
        assertEquals(200, api.patch("/api/v1/apps/right/config", "{\"MARK\":\"" + System.nanoTime() + "\"}").status());

        HttpResponse<String> big = invoke("left", "big", "{}");
        assertEquals(200, big.statusCode(), "all 256 MB were free again: " + big.body());
    }

    @Test
    void aFunctionLargerThanTheInstanceMemoryIsRefusedSayingSo() {
        assertEquals(200, api.patch("/api/v1/apps/right/formation/slow", "{\"memory_mb\":512}").status());
        try {
            HttpResponse<String> refused = invoke("right", "slow", "{}");
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("a 512 MB instance of right-slow is larger than this server's instance "
                    + "memory (LAAMBDA_INSTANCE_MEMORY=256 MB)"), refused.body());
        } finally {
            assertEquals(200, api.patch("/api/v1/apps/right/formation/slow", "{\"memory_mb\":128}").status());
        }
    }

    @Test
    void aReservedConcurrencyOfOneRefusesTheSecondOverlappingInvokeUntilCleared() throws Exception {
        TestApi.Response set = api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":1}");
        assertEquals(200, set.status(), set.body());
        assertEquals("Set limited concurrency to 1", set.json().get("release").get("description").asText());
        assertEquals("resources", set.json().get("release").get("kind").asText());
        assertEquals(1, set.json().get("entry").get("reserved_concurrency").asInt());

        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> invoke("left", "limited", "{\"sleep\":4}"));
        Thread.sleep(1000);
        HttpResponse<String> second = invoke("left", "limited", "{}");
        assertEquals(429, second.statusCode(), second.body());
        assertTrue(second.body().contains("left-limited is at its reserved concurrency (1 at once)"), second.body());
        assertEquals(200, first.get().statusCode());

        TestApi.Response cleared = api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":null}");
        assertEquals(200, cleared.status(), cleared.body());
        assertEquals("Reset limited concurrency to the server default",
                cleared.json().get("release").get("description").asText());
        assertTrue(cleared.json().get("entry").get("reserved_concurrency").isNull());
        CompletableFuture<HttpResponse<String>> again = CompletableFuture.supplyAsync(() -> invoke("left", "limited", "{\"sleep\":3}"));
        Thread.sleep(1000);
        assertEquals(200, invoke("left", "limited", "{}").statusCode(), "two at once again");
        assertEquals(200, again.get().statusCode());
    }

    @Test
    void zeroSwitchesAFunctionOffDeploysKeepItAndARollbackRestoresThePreviousValue() throws Exception {
        assertEquals(200, api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":2}").status());
        left.commit(Map.of("README", "deployed " + System.nanoTime() + "\n"), "a later deploy");
        left.pushAccepted();
        assertEquals(2, entry("left", "limited").get("reserved_concurrency").asInt(), "the deploy kept it");
        int deployed = api.get("/api/v1/apps/left/releases?limit=1").json().get(0).get("version").asInt();

        assertEquals(200, api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":0}").status());
        HttpResponse<String> off = invoke("left", "limited", "{}");
        assertEquals(429, off.statusCode(), off.body());
        assertTrue(off.body().contains("left-limited has a reserved concurrency of 0"), off.body());
        assertEquals(200, invoke("left", "also", "{}").statusCode(), "other functions of the app still run");

        assertEquals(201, api.post("/api/v1/apps/left/releases/v" + deployed + "/rollback", null).status());
        assertEquals(2, entry("left", "limited").get("reserved_concurrency").asInt(), "the rollback restored 2");
        assertEquals(200, invoke("left", "limited", "{}").statusCode());
        TestApi.Response release = api.get("/api/v1/apps/left/releases/v" + (deployed + 1));
        assertEquals("Set limited concurrency to 0", release.json().get("description").asText());
        api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":null}");
    }

    @Test
    void badReservedConcurrencyIsRefusedWithOneLineAndNothingIsStored() {
        int before = api.get("/api/v1/apps/left/releases?limit=1").json().get(0).get("version").asInt();
        TestApi.Response negative = api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":-1}");
        assertEquals(400, negative.status());
        assertEquals("invalid_concurrency", negative.errorCode());
        assertEquals("Reserved concurrency must be between 0 and 10 instances on this server (got -1); 0 switches the "
                + "function off.", negative.errorMessage());
        TestApi.Response tooMany = api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":11}");
        assertEquals(400, tooMany.status());
        assertEquals("invalid_concurrency", tooMany.errorCode());
        TestApi.Response notANumber = api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":\"five\"}");
        assertEquals(400, notANumber.status());
        assertEquals("Field 'reserved_concurrency' must be a whole number.", notANumber.errorMessage());
        assertEquals(400, api.patch("/api/v1/apps/left/formation/limited", "{\"reserved_concurrency\":1.5}").status());
        assertEquals(400, api.patch("/api/v1/apps/left/formation/limited",
                "{\"reserved_concurrency\":1,\"memory_mb\":256}").status());
        TestApi.Response unknown = api.patch("/api/v1/apps/left/formation/nope", "{\"reserved_concurrency\":1}");
        assertEquals(404, unknown.status());
        assertEquals("entry_not_found", unknown.errorCode());
        for (TestApi.Response refused : new TestApi.Response[] {negative, tooMany, notANumber, unknown}) {
            assertTrue(!refused.errorMessage().contains("\n"), refused.body());
        }
        assertEquals(before, api.get("/api/v1/apps/left/releases?limit=1").json().get(0).get("version").asInt(),
                "no release was made");
    }

    private static int warm(String app, String entry) {
        return entry(app, entry).get("warm_instances").asInt();
    }

    private static JsonNode entry(String app, String entry) {
        for (JsonNode function : api.get("/api/v1/apps/" + app + "/formation").json()) {
            if (function.get("entry").asText().equals(entry)) {
                return function;
            }
        }
        throw new AssertionError("no entry " + entry + " in " + app);
    }

    private static HttpResponse<String> invoke(String app, String entry, String payload) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/apps/" + app
                            + "/functions/" + entry + "/invoke"))
                    .header("Authorization", "Bearer " + server.adminToken())
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
