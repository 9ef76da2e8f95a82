package dev.laambda.release;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Many config changes at once: each becomes its own release, versions stay contiguous, and none is lost. */
class ConcurrentReleasesTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void concurrentConfigChangesAreSerialisedWithoutLosingAnyVar() throws Exception {
        TestApi admin = server.admin();
        assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"busy\"}").status());
        int writers = 24;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String body = "{\"VAR_" + i + "\":\"" + i + "\"}";
            results.add(pool.submit(() -> admin.patch("/api/v1/apps/busy/config", body).status()));
        }
        for (Future<Integer> result : results) {
            assertEquals(200, result.get());
        }
        pool.shutdown();

        assertEquals(writers, admin.get("/api/v1/apps/busy/config").json().size(), "every var survived");
        var releases = admin.get("/api/v1/apps/busy/releases?limit=100").json();
        assertEquals(writers + 1, releases.size());
        List<Integer> versions = new ArrayList<>();
        releases.forEach(r -> versions.add(r.get("version").asInt()));
        assertEquals(IntStream.rangeClosed(1, writers + 1).boxed().sorted((a, b) -> b - a).toList(), versions);
        assertEquals(1, releases.findValues("current").stream().filter(c -> c.asBoolean()).count());
    }
}
