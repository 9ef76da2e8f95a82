package dev.laambda.platform;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks every language's push test makes. */
final class PushTests {

    private PushTests() {
    }

    /** An unchanged tree pushed again, now on a warm cache, gives the very same artifact bytes. */
    static void assertSameArtifactOnAWarmCache(TestApi api, TestApp app, String name) {
        app.commit(Map.of(), "nothing changed");
        app.pushAccepted();
        com.fasterxml.jackson.databind.JsonNode releases = api.get("/api/v1/apps/" + name + "/releases").json();
        assertEquals(releases.get(1).get("artifact_sha").asText(), releases.get(0).get("artifact_sha").asText(),
                "same source, warm cache: the same artifact");
    }
}
