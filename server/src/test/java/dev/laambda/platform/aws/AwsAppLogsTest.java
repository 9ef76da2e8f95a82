package dev.laambda.platform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.ServerConfig;
import dev.laambda.testing.LogTail;
import dev.laambda.testing.MotoServer;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An AWS app's `laambda logs`: its functions' output comes from CloudWatch Logs (/aws/lambda/APP-ENTRY, seeded
 * here with PutLogEvents, as moto's Lambda writes none) into the same stream as its release lines, in order,
 * each once however often it is read, and a tail sees a line CloudWatch got after the tail began.
 */
class AwsAppLogsTest {

    private static final String STREAM = "2026/11/29/[1]0123456789abcdef";

    private static MotoServer moto;
    private static AwsClients aws;
    private static CloudWatchLogsClient cloudWatch;
    private static TestServer server;

    @BeforeAll
    static void pushAnAwsApp() {
        moto = MotoServer.start().credentialsForServersInThisJvm();
        aws = new AwsClients(Optional.of(moto.endpoint()), moto.credentials(), 2);
        cloudWatch = aws.logs("us-east-1");
        String role = moto.createLambdaRole("lambda");
        server = TestServer.startOnHost(Map.of(ServerConfig.AWS_ENDPOINT, moto.endpoint().toString()));
        TestApp.createWith(server, "chronicle", "{\"name\":\"chronicle\",\"platform\":\"aws\",\"role_arn\":\"" + role
                        + "\"}", Map.of("app.py", "def handler(event, context):\n    print('hello')\n    return {}\n",
                        "requirements.txt", "", "Procfile", "create: app.handler\n"))
                .pushAccepted();
        try {
            cloudWatch.createLogGroup(create -> create.logGroupName("/aws/lambda/chronicle-create"));
        } catch (ResourceAlreadyExistsException made) {
            // Lambda made it.
        }
        cloudWatch.createLogStream(create -> create.logGroupName("/aws/lambda/chronicle-create").logStreamName(STREAM));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void theFunctionsCloudWatchLinesAreInTheAppsStreamInOrderOnceEachWithTheirRequestId() {
        seed("START RequestId: req-1 Version: 1", "hello from lambda",
                "END RequestId: req-1", "REPORT RequestId: req-1\tDuration: 1.50 ms\tBilled Duration: 2 ms");

        List<JsonNode> lines = list("/api/v1/apps/chronicle/logs?n=1000");
        List<JsonNode> function = lines.stream().filter(l -> l.get("process").asText().equals("create")
                && l.get("request_id").asText().equals("req-1")).toList();
        assertEquals(List.of("START RequestId: req-1 Version: 1", "hello from lambda", "END RequestId: req-1",
                "REPORT RequestId: req-1\tDuration: 1.50 ms\tBilled Duration: 2 ms"),
                function.stream().map(l -> l.get("line").asText()).toList(), texts(lines));
        assertTrue(function.stream().allMatch(l -> l.get("source").asText().equals("app")), texts(lines));
        assertTrue(function.get(1).get("text").asText().endsWith(" app[create]: hello from lambda"), texts(lines));
        int release = indexOf(lines, "api", "Release v2");
        assertTrue(release >= 0 && release < lines.indexOf(function.get(0)), "the release came first: " + texts(lines));
        for (int i = 1; i < lines.size(); i++) {
            assertTrue(!Instant.parse(lines.get(i).get("at").asText()).isBefore(Instant.parse(lines.get(i - 1).get("at").asText())),
                    "in time order: " + texts(lines));
        }

        List<JsonNode> again = list("/api/v1/apps/chronicle/logs?n=1000");
        List<JsonNode> filtered = list("/api/v1/apps/chronicle/logs?n=1000&request_id=req-1");

        assertEquals(lines.size(), again.size(), "read again, nothing is copied twice: " + texts(again));
        assertEquals(4, filtered.size(), "the request id filter finds the invocation: " + texts(filtered));
    }

    @Test
    void aTailSeesALineCloudWatchGotAfterItBegan() throws Exception {
        String word = "tailed-" + System.nanoTime();
        try (LogTail tail = LogTail.open(server, server.adminToken(), "/api/v1/apps/chronicle/logs/stream?n=1", null)) {
            tail.next(line -> true);
            seed(word);

            JsonNode seen = tail.next(line -> line.get("line").asText().equals(word));

            assertEquals("create", seen.get("process").asText());
            assertEquals("app", seen.get("source").asText());
        }
        long copies = list("/api/v1/apps/chronicle/logs?n=1000").stream()
                .filter(l -> l.get("line").asText().equals(word)).count();
        assertEquals(1, copies, "polled every second while tailed, stored once");
    }

    /** Puts these lines into the function's group, one millisecond apart, as Lambda would have logged them. */
    private static void seed(String... messages) {
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            events.add(InputLogEvent.builder().timestamp(now + i).message(messages[i]).build());
        }
        cloudWatch.putLogEvents(put -> put.logGroupName("/aws/lambda/chronicle-create").logStreamName(STREAM)
                .logEvents(events));
    }

    private static int indexOf(List<JsonNode> lines, String process, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).get("process").asText().equals(process) && lines.get(i).get("line").asText().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static String texts(List<JsonNode> lines) {
        return String.join("\n", lines.stream().map(l -> l.get("text").asText()).toList());
    }

    private static List<JsonNode> list(String path) {
        return server.admin().getList(path);
    }
}
