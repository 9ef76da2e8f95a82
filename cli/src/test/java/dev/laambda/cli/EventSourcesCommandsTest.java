package dev.laambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `laambda event-sources` and its :add, :remove and :clear against a real server: a release each, one line per refusal. */
class EventSourcesCommandsTest {

    private static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders";

    @TempDir
    Path home;

    @Test
    void sourcesAreAddedListedRemovedAndClearedAndBadInputIsOneLineAndExitOne() throws Exception {
        try (TestServer server = TestServer.startOnHost(Map.of())) {
            TestApp.createWith(server, "timer", "{\"name\":\"timer\",\"region\":\"us-east-1\"}", Map.of("work.py",
                    "def handler(event, context):\n    return 1\n", "Procfile", "worker: work.handler\n")).pushAccepted();
            Map<String, String> env = Map.of("HOME", home.toString(), "LAAMBDA_SERVER", server.url(),
                    "LAAMBDA_TOKEN", server.adminToken());

            CliRun schedule = CliRun.run(env, home, "event-sources:add", "worker", "schedule:rate(5 minutes)", "-a", "timer");
            CliRun queue = CliRun.run(env, home, "event-sources:add", "worker", "sqs:" + QUEUE, "--batch-size", "10",
                    "-a", "timer");
            CliRun listed = CliRun.run(env, home, "event-sources", "worker", "-a", "timer");
            CliRun json = CliRun.run(env, home, "event-sources", "worker", "-a", "timer", "--json");

            assertEquals(0, schedule.exitCode(), schedule.err());
            assertTrue(schedule.out().matches("Adding schedule:rate\\(5 minutes\\) to worker\\.\\.\\. done, v\\d+\n"),
                    schedule.out());
            assertEquals(0, queue.exitCode(), queue.err());
            assertEquals("=== timer worker Event Sources\nschedule:rate(5 minutes)\nsqs:" + QUEUE
                    + "?batch_size=10  (not supported on the local platform)\n", listed.out());
            JsonNode sources = new ObjectMapper().readTree(json.out());
            assertEquals(10, sources.get(1).get("batch_size").asInt());

            CliRun duplicate = CliRun.run(env, home, "event-sources:add", "worker", "sqs:" + QUEUE, "-a", "timer");
            CliRun wrongRegion = CliRun.run(env, home, "event-sources:add", "worker",
                    "sqs:arn:aws:sqs:eu-west-1:123456789012:orders", "-a", "timer");
            CliRun badCron = CliRun.run(env, home, "event-sources:add", "worker", "schedule:cron(0 12 * *)", "-a", "timer");
            CliRun unknownEntry = CliRun.run(env, home, "event-sources", "web", "-a", "timer");
            for (CliRun refused : new CliRun[]{duplicate, wrongRegion, badCron, unknownEntry}) {
                assertEquals(1, refused.exitCode(), refused.out());
                assertEquals(1, refused.err().strip().lines().count(), refused.err());
            }
            assertTrue(duplicate.err().contains("already has event source sqs:" + QUEUE), duplicate.err());
            assertTrue(wrongRegion.err().contains("is in region eu-west-1, but the app runs in us-east-1"), wrongRegion.err());
            assertTrue(badCron.err().contains("has 4 fields"), badCron.err());
            assertTrue(unknownEntry.err().contains("No Procfile entry 'web'"), unknownEntry.err());

            CliRun removed = CliRun.run(env, home, "event-sources:remove", "worker", "sqs:" + QUEUE, "-a", "timer");
            assertEquals(0, removed.exitCode(), removed.err());
            assertTrue(removed.out().startsWith("Removing sqs:" + QUEUE + " from worker... done, v"), removed.out());
            CliRun cleared = CliRun.run(env, home, "event-sources:clear", "worker", "-a", "timer");
            assertEquals(0, cleared.exitCode(), cleared.err());
            assertTrue(cleared.out().startsWith("Removing every event source of worker... done, v"), cleared.out());
            assertEquals("timer worker has no event sources.\n",
                    CliRun.run(env, home, "event-sources", "worker", "-a", "timer").out());
            CliRun again = CliRun.run(env, home, "event-sources:clear", "worker", "-a", "timer");
            assertEquals(1, again.exitCode());
            assertTrue(again.err().contains("has no event sources to clear"), again.err());
        }
    }
}
