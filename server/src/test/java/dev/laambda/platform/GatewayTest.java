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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP requests to an app become API Gateway HTTP API (payload 2.0) events for its web function. */
class GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void pushTheWebApp() {
        server = TestServer.start();
        TestApi api = server.admin();
        TestGit developer = TestGit.newDeveloper();
        api.post("/api/v1/keys", "{\"public_key\":\"" + developer.publicKey() + "\"}");
        for (String app : List.of("web-demo", "no-web")) {
            assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"" + app + "\"}").status());
        }
        Path web = developer.newRepo(Map.of("app.py", """
                import json, os

                def handler(event, context):
                    path = event["rawPath"]
                    if path == "/hello":
                        name = event.get("queryStringParameters", {}).get("name", "world")
                        return {"statusCode": 200, "headers": {"content-type": "text/plain"},
                                "cookies": ["seen=1; Path=/"], "body": os.environ.get("GREETING", "hello") + " " + name}
                    if path == "/echo":
                        return {"statusCode": 201, "body": json.dumps(event)}
                    if path == "/bare":
                        return {"just": "data"}
                    if path == "/fail":
                        raise RuntimeError("boom")
                    return {"statusCode": 404, "body": "no page " + path}
                """, "Procfile", "web: app.handler\n"));
        assertTrue(developer.git(web, "push", url("web-demo"), "main").ok());
        Path worker = developer.newRepo(Map.of("job.py", "def handler(e, c):\n    return 1\n", "Procfile", "worker: job.handler\n"));
        assertTrue(developer.git(worker, "push", url("no-web"), "main").ok());
        port = Integer.parseInt(server.url().replaceAll(".*:", ""));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void curlToTheAppsLocalhostNameReachesItsWebFunction() throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-i", "http://web-demo.localhost:" + port + "/hello?name=ann")
                .redirectErrorStream(true).start();
        String response = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor());
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.toLowerCase().contains("set-cookie: seen=1; path=/"), response);
        assertTrue(response.endsWith("hello ann"), response);
    }

    @Test
    void hostNamesAreCaseInsensitiveSoTheUppercaseNameReachesTheSameApp() throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-i", "-H", "Host: WEB-Demo.LOCALHOST:" + port,
                "http://127.0.0.1:" + port + "/hello?name=bob").redirectErrorStream(true).start();
        String response = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor());
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.endsWith("hello bob"), response);
    }

    @Test
    void theEventCarriesHeadersCookiesQueryAndABinaryBodyAsApiGatewaySendsThem() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 255};
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/apps/web-demo/echo?a=1&a=2&b=x%20y"))
                .header("Cookie", "c1=v1; c2=v2")
                .header("X-Many", "one").header("X-Many", "two")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode event = JSON.readTree(response.body());
        assertEquals("2.0", event.get("version").asText());
        assertEquals("$default", event.get("routeKey").asText());
        assertEquals("/echo", event.get("rawPath").asText());
        assertEquals("a=1&a=2&b=x%20y", event.get("rawQueryString").asText());
        assertEquals("1,2", event.get("queryStringParameters").get("a").asText());
        assertEquals("x y", event.get("queryStringParameters").get("b").asText());
        assertEquals(List.of("c1=v1", "c2=v2"), List.of(event.get("cookies").get(0).asText(), event.get("cookies").get(1).asText()));
        assertEquals("one,two", event.get("headers").get("x-many").asText());
        assertTrue(event.get("headers").get("cookie") == null, "cookies move out of the headers");
        assertTrue(event.get("isBase64Encoded").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(binary), event.get("body").asText());
        JsonNode http = event.get("requestContext").get("http");
        assertEquals("POST", http.get("method").asText());
        assertEquals("/echo", http.get("path").asText());
        assertEquals("127.0.0.1", http.get("sourceIp").asText());
        assertTrue(event.get("requestContext").get("time").asText().matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000"));
    }

    @Test
    void aResultWithoutStatusCodeIsSentAsJsonWith200() throws Exception {
        HttpResponse<String> response = get("/apps/web-demo/bare");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("data", JSON.readTree(response.body()).get("just").asText());
    }

    @Test
    void theFunctionsOwn404AndFailuresReachTheClientAsApiGatewaySendsThem() throws Exception {
        HttpResponse<String> missing = get("/apps/web-demo/nowhere");
        assertEquals(404, missing.statusCode());
        assertEquals("no page /nowhere", missing.body());
        HttpResponse<String> failed = get("/apps/web-demo/fail");
        assertEquals(500, failed.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", failed.body());
    }

    @Test
    void anAppWithoutAWebEntryAnswers404WithAClearMessage() throws Exception {
        HttpResponse<String> response = get("/apps/no-web/");
        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("has no web function"), response.body());
        assertEquals(404, get("/apps/never-made/").statusCode());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String url(String app) {
        return "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/" + app + ".git";
    }
}
