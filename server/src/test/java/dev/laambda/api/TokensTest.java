package dev.laambda.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API tokens: minted, used (and the use recorded, at most once a minute), revoked. */
class TokensTest {

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
    void aTokenWorksUntilRevokedAndItsLastUseIsRecorded() {
        TestApi admin = server.admin();
        TestApi.Response used = admin.post("/api/v1/tokens", "{\"description\":\"ci\"}");
        TestApi.Response unused = admin.post("/api/v1/tokens", "{\"description\":\"spare\"}");
        assertEquals(201, used.status(), used.body());
        TestApi ci = server.as(used.json().get("token").asText());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, ci.get("/api/v1/apps").status());
        }

        JsonNode tokens = admin.get("/api/v1/tokens").json();
        assertTrue(token(tokens, used.json().get("id").asLong()).hasNonNull("last_used_at"), tokens.toString());
        assertFalse(token(tokens, unused.json().get("id").asLong()).hasNonNull("last_used_at"), tokens.toString());

        assertEquals(200, admin.delete("/api/v1/tokens/" + used.json().get("id").asLong()).status());
        TestApi.Response refused = ci.get("/api/v1/apps");
        assertEquals(401, refused.status());
        assertEquals("Invalid or revoked API token: run `laambda login` with a valid token.", refused.errorMessage());
    }

    private static JsonNode token(JsonNode tokens, long id) {
        for (JsonNode token : tokens) {
            if (token.get("id").asLong() == id) {
                return token;
            }
        }
        throw new AssertionError("no token " + id + " in " + tokens);
    }
}
