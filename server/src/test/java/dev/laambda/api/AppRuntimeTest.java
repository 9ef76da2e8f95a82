package dev.laambda.api;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
