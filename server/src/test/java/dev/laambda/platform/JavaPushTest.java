package dev.laambda.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.testing.MavenPom;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Maven app pushed with real git over SSH is built by the Java buildpack and its Procfile's handlers run
 * on AWS's Java runtime interface client, each entry its own function.
 */
class JavaPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POM = MavenPom.withDependencies("org.apache.commons:commons-lang3:3.18.0");

    private static TestServer server;
    private static TestGit developer;
    private static Path repo;
    private static String remote;
    private static String firstPush;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.start();
        TestApi api = server.admin();
        developer = TestGit.newDeveloper();
        api.post("/api/v1/keys", "{\"public_key\":\"" + developer.publicKey() + "\"}");
        assertEquals(201, api.post("/api/v1/apps", "{\"name\":\"greeter\"}").status());
        repo = developer.newRepo(Map.of(
                "pom.xml", POM,
                "src/main/java/example/Hello.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.HashMap;
                        import java.util.Map;
                        import org.apache.commons.lang3.StringUtils;

                        public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                            @Override
                            public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                                String name = StringUtils.capitalize((String) event.get("name"));
                                System.out.println("greeting " + name);
                                Map<String, Object> result = new HashMap<>();
                                result.put("greeting", "Hello, " + name);
                                result.put("function", context.getFunctionName());
                                result.put("requestId", context.getAwsRequestId());
                                return result;
                            }
                        }
                        """,
                "src/main/java/example/Shout.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
                        import java.io.IOException;
                        import java.io.InputStream;
                        import java.io.OutputStream;
                        import java.nio.charset.StandardCharsets;
                        import java.util.Locale;

                        public class Shout implements RequestStreamHandler {
                            @Override
                            public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
                                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                                out.write(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                            }
                        }
                        """,
                "src/main/java/example/Broken.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.Map;

                        public class Broken implements RequestHandler<Map<String, Object>, String> {
                            @Override
                            public String handleRequest(Map<String, Object> event, Context context) {
                                throw new IllegalArgumentException("name must not be empty");
                            }
                        }
                        """,
                "Procfile", """
                        hello: example.Hello::handleRequest
                        shout: example.Shout::handleRequest
                        broken: example.Broken::handleRequest
                        """));
        remote = "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/greeter.git";
        TestGit.Result push = developer.git(repo, "push", remote, "main");
        assertTrue(push.ok(), push.output());
        firstPush = push.output();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMavenAppIsBuiltByTheJavaBuildpackWithOneFunctionPerProcfileEntry() {
        assertTrue(firstPush.contains("-----> Java app detected"), firstPush);
        assertTrue(firstPush.contains("-----> Building with Maven"), firstPush);
        assertTrue(firstPush.contains("3 class files; lib/: 2 jars"), firstPush);
        assertFalse(firstPush.contains("-----> Using Maven cache"), "the first push has no cache yet: " + firstPush);
        assertTrue(firstPush.contains("-----> Discovering process types: broken, hello, shout"), firstPush);
    }

    @Test
    void aRequestHandlerGetsTheEventAndLambdasContextAndUsesItsDependencyFromLib() throws Exception {
        HttpResponse<String> response = invoke("hello", "{\"name\":\"ann\"}", true);
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.headers().firstValue("X-Amz-Function-Error").isPresent(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals("Hello, Ann", result.get("greeting").asText());
        assertEquals("greeter-hello", result.get("function").asText());
        String log = new String(Base64.getDecoder().decode(response.headers().firstValue("X-Amz-Log-Result").orElseThrow()),
                StandardCharsets.UTF_8);
        assertTrue(log.startsWith("START RequestId: " + result.get("requestId").asText()), log);
        assertTrue(log.contains("greeting Ann"), log);
        assertTrue(log.contains("REPORT RequestId: "), log);
    }

    @Test
    void aStreamHandlerAnswersWithTheBytesItWrote() throws Exception {
        HttpResponse<String> response = invoke("shout", "{\"name\":\"ann\"}", false);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"NAME\":\"ANN\"}", response.body());
    }

    @Test
    void aHandlerThatThrowsAnswersWithLambdasErrorDocumentForJava() throws Exception {
        HttpResponse<String> response = invoke("broken", "{}", false);
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("java.lang.IllegalArgumentException", error.get("errorType").asText());
        assertEquals("name must not be empty", error.get("errorMessage").asText());
        assertEquals("example.Broken.handleRequest(Broken.java:10)", error.get("stackTrace").get(0).asText(), error.toString());
    }

    @Test
    void aSecondPushReusesTheMavenCacheAndServesItsNewEntry() throws Exception {
        developer.writeAndCommit(repo, Map.of(
                "src/main/java/example/Counter.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.Map;

                        public class Counter implements RequestHandler<Map<String, Object>, Integer> {
                            private int calls;

                            @Override
                            public Integer handleRequest(Map<String, Object> event, Context context) {
                                return ++calls;
                            }
                        }
                        """,
                "Procfile", """
                        hello: example.Hello::handleRequest
                        shout: example.Shout::handleRequest
                        broken: example.Broken::handleRequest
                        count: example.Counter
                        """), "count calls");
        TestGit.Result push = developer.git(repo, "push", remote, "main");
        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("-----> Using Maven cache"), push.output());

        assertEquals("1", invoke("count", "{}", false).body());
        assertEquals("2", invoke("count", "{}", false).body(), "a warm instance keeps its handler object");
    }

    private static HttpResponse<String> invoke(String entry, String payload, boolean tail) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/apps/greeter/functions/"
                        + entry + "/invoke"))
                .header("Authorization", "Bearer " + server.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (tail) {
            request.header("X-Amz-Log-Type", "Tail");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
