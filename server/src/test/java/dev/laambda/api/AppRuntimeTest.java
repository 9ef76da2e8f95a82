package dev.laambda.api;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** apps:create --runtime takes only a runtime Laambda builds and runs, so no app is stored that fails on its first push. */
class AppRuntimeTest {

    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void start() {
        server = TestServer.startOnHost(Map.of());
        api = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRuntimeNoBuilderRunsIsRefusedAtCreateWithTheListAndNothingIsStored() {
        for (String runtime : new String[] {"ruby3.3", "dotnet8", "python3.8"}) {
            TestApi.Response refused = api.post("/api/v1/apps", "{\"name\":\"gem\",\"runtime\":\"" + runtime + "\"}");
            assertEquals(400, refused.status(), refused.body());
            assertEquals("invalid_runtime", refused.errorCode());
            assertTrue(refused.errorMessage().startsWith("Runtime '" + runtime + "' is not one Laambda runs: use one of python3.9,"),
                    refused.errorMessage());
            assertTrue(refused.errorMessage().endsWith("provided.al2023."), refused.errorMessage());
            assertFalse(refused.errorMessage().contains("\n"));
            assertEquals(404, api.get("/api/v1/apps/gem").status(), "nothing stored for " + runtime);
        }
    }

    @Test
    void aRuntimeInTheCatalogueIsPinned() {
        TestApi.Response created = api.post("/api/v1/apps", "{\"name\":\"pinned\",\"runtime\":\"nodejs22.x\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("nodejs22.x", api.get("/api/v1/apps/pinned").json().get("runtime").asText());
    }

    @Test
    void aDeprecatedRuntimeIsStillPinnedAndEachPushWarnsNamingTheFamilysDefault() {
        TestApp app = TestApp.create(server, "legacy", "python3.9", Map.of(
                "hello.py", "def handler(event, context):\n    return 'hi'\n",
                "Procfile", "hello: hello.handler\n"));
        assertEquals("python3.9", api.get("/api/v1/apps/legacy").json().get("runtime").asText());

        String push = app.pushAccepted();

        // git pads each remote line with spaces: compare the lines without them.
        List<String> lines = push.lines().map(String::strip).toList();
        int runtime = lines.indexOf("remote: -----> Runtime python3.9");
        assertTrue(runtime >= 0, push);
        assertEquals("remote:        Warning: python3.9 is deprecated on AWS Lambda (no more security patches): "
                + "move to python3.13 (the family's default)", lines.get(runtime + 1), push);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("remote: -----> Released v")), push);
    }
}
