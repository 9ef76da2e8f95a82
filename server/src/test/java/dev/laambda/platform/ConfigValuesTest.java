package dev.laambda.platform;

import dev.laambda.release.ConfigCipher;
import dev.laambda.release.ConfigVars;
import dev.laambda.release.MasterKey;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.laambda.store.JdbcTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A config value a process environment cannot hold (a NUL, an unpaired surrogate) is refused and stores
 * nothing; one stored before that check fails with a clear answer that names the key and never shows the
 * value, neither to the caller nor in the server's log.
 */
class ConfigValuesTest {

    private static TestServer server;
    private static TestApi api;

    @BeforeAll
    static void pushTheApp() {
        server = TestServer.startOnHost(Map.of());
        api = server.admin();
        TestApp app = TestApp.create(server, "vault", Map.of(
                "env.py", "import os\ndef handler(event, context):\n    return {\"token\": os.environ.get(\"TOKEN\")}\n",
                "Procfile", "env: env.handler\n"));
        app.pushAccepted();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aNulOrALoneSurrogateInAValueIsRefusedAndNoReleaseIsMade() {
        assertEquals(200, api.patch("/api/v1/apps/vault/config", "{\"TOKEN\":\"fine\"}").status());
        int releases = releaseCount();
        for (String bad : new String[] {"canary\\u0000after", "canary\\ud800", "\\udc00canary"}) {
            TestApi.Response refused = api.patch("/api/v1/apps/vault/config", "{\"TOKEN\":\"" + bad + "\"}");
            assertEquals(400, refused.status(), refused.body());
            assertEquals("invalid_config_value", refused.errorCode());
            assertTrue(refused.errorMessage().contains("'TOKEN'"), refused.body());
            assertFalse(refused.body().contains("canary"), refused.body());
        }
        assertEquals(releases, releaseCount(), "nothing stored");
        assertEquals("fine", api.get("/api/v1/apps/vault/config/TOKEN").json().get("value").asText());
    }

    @Test
    void aValueStoredBeforeTheCheckIsNeitherRolledBackToNorStartedAndNeverShown() throws SQLException {
        assertEquals(200, api.patch("/api/v1/apps/vault/config", "{\"OTHER\":\"x\"}").status());
        int current = api.get("/api/v1/apps/vault/releases").json().get(0).get("version").asInt();
        // Written as an older server would have stored it: straight into the release, sealed with the master key.
        storeConfig(current - 1, Map.of("TOKEN", "stale-canary\0value"));
        storeConfig(current, Map.of("TOKEN", "stale-canary\0value"));

        String log = serverLog(() -> {
            TestApi.Response rollback = api.post("/api/v1/apps/vault/releases/" + (current - 1) + "/rollback", "");
            assertEquals(400, rollback.status(), rollback.body());
            assertEquals("invalid_config_value", rollback.errorCode());
            assertEquals(current, api.get("/api/v1/apps/vault/releases").json().get(0).get("version").asInt(),
                    "no release made");

            TestApi.Response invoked = api.post("/api/v1/apps/vault/functions/env/invoke", "{}");
            assertEquals(409, invoked.status(), invoked.body());
            assertEquals("invalid_config_value", invoked.errorCode());
            assertTrue(invoked.errorMessage().contains("'TOKEN'"), invoked.body());
            assertFalse(invoked.body().contains("canary"), invoked.body());
            return invoked.body();
        });
        assertFalse(log.contains("canary"), log);
    }

    private static int releaseCount() {
        return api.get("/api/v1/apps/vault/releases?limit=100").json().size();
    }

    private static void storeConfig(int version, Map<String, String> config) throws SQLException {
        ConfigCipher cipher = new ConfigCipher(MasterKey.load(Optional.empty(), server.dataDir().resolve("master.key")));
        JdbcTarget target = JdbcTarget.fromDatabaseUrl(server.databaseUrl());
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             PreparedStatement update = connection.prepareStatement("UPDATE releases SET config_ciphertext = ? "
                     + "WHERE version = ? AND app_id = (SELECT id FROM apps WHERE name = 'vault')")) {
            update.setBytes(1, cipher.encrypt(new ConfigVars(new TreeMap<>(config))));
            update.setInt(2, version);
            assertEquals(1, update.executeUpdate());
        }
    }

    /** What the server logged (its log goes to stderr) while {@code action} ran, with the action's answer. */
    private static String serverLog(Supplier<String> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String answer = action.get();
            return captured.toString(StandardCharsets.UTF_8) + "\n" + answer;
        } finally {
            System.setErr(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
