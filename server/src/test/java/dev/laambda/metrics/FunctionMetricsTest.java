package dev.laambda.metrics;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A known sequence of invocations on a real server (host processes, real PostgreSQL): three that succeed, two that
 * raise, one that runs past its 1 s timeout and two refused with 429 (reserved concurrency 0). GET …/metrics and
 * Prometheus's /metrics count exactly that.
 */
class FunctionMetricsTest {

    private static final String HANDLER = """
            import time

            def handler(event, context):
                time.sleep(event.get("sleep", 0))
                if event.get("fail"):
                    raise ValueError("asked to fail")
                return {"ok": True}
            """;
    private static final String METRICS_TOKEN = "metrics-token-0123456789";
    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void invokeAKnownSequence() {
        server = TestServer.startOnHost(Map.of(ServerConfig.METRICS_TOKEN, METRICS_TOKEN));
        api = server.admin();
        TestApp.create(server, "counted", Map.of("fn.py", HANDLER,
                "Procfile", "work: fn.handler\nhangs: fn.handler\noff: fn.handler\n")).pushAccepted();
        assertEquals(200, api.patch("/api/v1/apps/counted/formation/hangs", "{\"timeout_s\":1}").status());
        assertEquals(200, api.patch("/api/v1/apps/counted/formation/off", "{\"reserved_concurrency\":0}").status());

        for (int i = 0; i < 3; i++) {
            assertEquals(200, invoke("work", "{}").statusCode());
        }
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> failed = invoke("work", "{\"fail\":true}");
            assertEquals("Unhandled", failed.headers().firstValue("X-Amz-Function-Error").orElse(null), failed.body());
        }
        HttpResponse<String> timedOut = invoke("hangs", "{\"sleep\":3}");
        assertTrue(timedOut.body().contains("Task timed out after 1.00 seconds"), timedOut.body());
        for (int i = 0; i < 2; i++) {
            assertEquals(429, invoke("off", "{}").statusCode());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theMetricsOfEachFunctionCountTheSequenceExactly() {
        TestApi.Response answer = api.get("/api/v1/apps/counted/metrics?since=1h");
        assertEquals(200, answer.status(), answer.body());
        JsonNode functions = answer.json().get("functions");
        assertEquals(3, functions.size(), answer.body());

        JsonNode work = function(functions, "work");
        assertEquals("counted-work", work.get("function_name").asText());
        assertTotals(work, 5, 2, 0, 0, 1);
        assertEquals(1, work.get("totals").get("peak_concurrency").asInt());
        JsonNode durations = work.get("totals").get("duration_ms");
        assertTrue(durations.get("p50").asDouble() > 0, durations.toString());
        assertTrue(durations.get("p50").asDouble() <= durations.get("p90").asDouble(), durations.toString());
        assertTrue(durations.get("p99").asDouble() <= durations.get("max").asDouble(), durations.toString());
        // 128 MB by default: the bill is at least 5 invocations × 1 ms × 0.125 GB.
        assertTrue(work.get("totals").get("billed_gb_seconds").asDouble() >= 5 * 0.001 * 0.125, work.toString());

        JsonNode hangs = function(functions, "hangs");
        assertTotals(hangs, 1, 1, 0, 1, 1);
        assertTrue(hangs.get("totals").get("duration_ms").get("max").asDouble() >= 1000, hangs.toString());

        JsonNode off = function(functions, "off");
        assertTotals(off, 0, 0, 2, 0, 0);
        assertTrue(off.get("totals").get("duration_ms").get("p50").isNull(), "no invocation ran: no durations");

        long minuteInvocations = 0;
        for (JsonNode minute : work.get("minutes")) {
            minuteInvocations += minute.get("invocations").asLong();
        }
        assertEquals(5, minuteInvocations, "the minutes add up to the totals");
    }

    @Test
    void oneEntryIsAskedForByName() {
        TestApi.Response answer = api.get("/api/v1/apps/counted/metrics?entry=off&since=10m");
        assertEquals(200, answer.status(), answer.body());
        assertEquals(1, answer.json().get("functions").size());
        assertEquals(2, answer.json().get("functions").get(0).get("totals").get("throttles").asLong());
    }

    @Test
    void aSinceThatDoesNotParseOrPassesTheRetentionIsOneLine400() {
        for (String since : new String[] {"yesterday", "0m", "25h", "2d", "-1h"}) {
            TestApi.Response refused = api.get("/api/v1/apps/counted/metrics?since=" + since);
            assertEquals(400, refused.status(), since + ": " + refused.body());
            assertEquals("invalid_since", refused.errorCode());
            assertEquals("since must be minutes or hours like 10m, 1h or 24h, at most 24h (metrics are kept 24 hours); "
                    + "got '" + since + "'.", refused.errorMessage());
        }
    }

    @Test
    void anUnknownEntryOrAppIs404() {
        TestApi.Response entry = api.get("/api/v1/apps/counted/metrics?entry=nope");
        assertEquals(404, entry.status(), entry.body());
        assertEquals("entry_not_found", entry.errorCode());
        assertEquals(404, api.get("/api/v1/apps/nope/metrics").status());
    }

    @Test
    void anotherUserWithoutAccessSeesNothing() {
        TestApi.Response stranger = server.newUser("stranger@example.com").get("/api/v1/apps/counted/metrics");
        assertTrue(stranger.status() == 403 || stranger.status() == 404, stranger.body());
        assertTrue(!stranger.body().contains("invocations"), stranger.body());
    }

    @Test
    void prometheusScrapesTheSameCountsLabelledByAppAndFunction() throws Exception {
        HttpResponse<String> scrape = scrape("Bearer " + METRICS_TOKEN);
        assertEquals(200, scrape.statusCode(), scrape.body());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), scrape.headers().toString());
        Map<String, Double> samples = PrometheusText.parse(scrape.body());

        assertEquals(5.0, samples.get("laambda_function_invocations_total{app=\"counted\",function=\"counted-work\"}"));
        assertEquals(2.0, samples.get("laambda_function_errors_total{app=\"counted\",function=\"counted-work\"}"));
        assertEquals(1.0, samples.get("laambda_function_cold_starts_total{app=\"counted\",function=\"counted-work\"}"));
        assertEquals(1.0, samples.get("laambda_function_timeouts_total{app=\"counted\",function=\"counted-hangs\"}"));
        assertEquals(2.0, samples.get("laambda_function_throttles_total{app=\"counted\",function=\"counted-off\"}"));
        assertEquals(5.0, samples.get("laambda_function_duration_seconds_count{app=\"counted\",function=\"counted-work\"}"));
        assertTrue(samples.get("laambda_function_duration_seconds_sum{app=\"counted\",function=\"counted-work\"}") > 0);

        assertNotNull(samples.get("laambda_builds_running"), "builds running");
        assertEquals(1.0, samples.get("laambda_instances{state=\"warm\"}"), "the work function's instance is warm");
        assertEquals(0.0, samples.get("laambda_instances{state=\"busy\"}"));
        assertTrue(samples.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes{")), "JVM memory");
        assertTrue(samples.keySet().stream().anyMatch(name -> name.startsWith("jvm_threads_live_threads")), "JVM threads");
        Double invokes = samples.get("laambda_http_requests_seconds_count{method=\"POST\","
                + "route=\"/api/v1/apps/{app}/functions/{entry}/invoke\",status=\"429\"}");
        assertEquals(2.0, invokes, "HTTP requests by route template and status");
    }

    @Test
    void prometheusRefusesAMissingOrWrongToken() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-token-0123456789", "Bearer " + server.adminToken()}) {
            HttpResponse<String> refused = scrape(authorization);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("unauthorized", new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body())
                    .get("code").asText());
            assertTrue(!refused.body().contains("laambda_function"), refused.body());
        }
    }

    @Test
    void withoutATokenSettingTheServerHasNoMetricsRoute() throws Exception {
        try (TestServer plain = TestServer.startOnHost(Map.of())) {
            for (String authorization : new String[] {null, "Bearer " + METRICS_TOKEN, "Bearer " + plain.adminToken()}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(plain.url() + "/metrics")).GET();
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, answer.statusCode(), answer.body());
                assertEquals("{\"error\":\"No such route: GET /metrics\",\"code\":\"not_found\"}", answer.body());
            }
        }
    }

    private static void assertTotals(JsonNode function, long invocations, long errors, long throttles, long timeouts,
                                     long coldStarts) {
        JsonNode totals = function.get("totals");
        String entry = function.get("entry").asText();
        assertEquals(invocations, totals.get("invocations").asLong(), entry + " invocations: " + totals);
        assertEquals(errors, totals.get("errors").asLong(), entry + " errors: " + totals);
        assertEquals(throttles, totals.get("throttles").asLong(), entry + " throttles: " + totals);
        assertEquals(timeouts, totals.get("timeouts").asLong(), entry + " timeouts: " + totals);
        assertEquals(coldStarts, totals.get("cold_starts").asLong(), entry + " cold starts: " + totals);
    }

    private static JsonNode function(JsonNode functions, String entry) {
        for (JsonNode function : functions) {
            if (function.get("entry").asText().equals(entry)) {
                return function;
            }
        }
        throw new AssertionError("no entry " + entry + " in " + functions);
    }

    static HttpResponse<String> scrape(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> invoke(String entry, String payload) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
                            + "/api/v1/apps/counted/functions/" + entry + "/invoke"))
                    .header("Authorization", "Bearer " + server.adminToken())
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
