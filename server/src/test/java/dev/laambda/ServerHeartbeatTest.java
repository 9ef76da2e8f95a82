package dev.laambda;

import dev.laambda.store.JdbcTarget;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each server's heartbeat row in its database: written at start, refreshed while it runs, deleted when it stops;
 * the row of a server that stopped without closing blocks no start once its heartbeat is old, and a server restarted
 * on its own data directory takes its row over. (The refusals they make possible: ServerStartTest.)
 */
class ServerHeartbeatTest {

    private static final Map<String, String> ON_HOST = Map.of(ServerConfig.INSTANCES, "process", ServerConfig.BUILDER, "local");

    @Test
    void aServerWritesItsRowAtStartKeepsItsHeartbeatFreshAndDeletesTheRowWhenItStops() throws Exception {
        TestServer server = TestServer.start(ON_HOST);
        String url = server.databaseUrl();
        try {
            List<String> rows = strings(url, "SELECT http_address || ' ' || ssh_address || ' ' "
                    + "|| coalesce(artifact_bucket, 'none') FROM servers");
            assertEquals(List.of("127.0.0.1:" + server.laambda().httpPort() + " 127.0.0.1:" + server.sshPort() + " none"), rows);

            update(url, "UPDATE servers SET heartbeat_at = now() - interval '1 minute'");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ServerHeartbeat.EVERY.toSeconds() * 3);
            while (strings(url, "SELECT id FROM servers WHERE heartbeat_at > now() - interval '30 seconds'").isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertEquals(1, strings(url, "SELECT id FROM servers WHERE heartbeat_at > now() - interval '30 seconds'").size(),
                    "the heartbeat was refreshed");
        } finally {
            server.close();
        }
        assertEquals(List.of(), strings(url, "SELECT id FROM servers"));
    }

    @Test
    void aServerThatStoppedWithoutClosingBlocksNoStartOnceItsHeartbeatIsOld() throws Exception {
        String url;
        try (TestServer first = TestServer.start(ON_HOST)) {
            url = first.databaseUrl();
        }
        update(url, "INSERT INTO servers (id, host, http_address, ssh_address, heartbeat_at) VALUES "
                + "('crashed:/srv/laambda', 'crashed', '10.0.0.9:8080', '10.0.0.9:2222', now() - interval '31 seconds')");

        try (TestServer second = TestServer.start(onDatabase(url))) {
            assertEquals(List.of(), strings(url, "SELECT id FROM servers WHERE host = 'crashed'"), "the stale row is gone");
            assertEquals(1, strings(url, "SELECT id FROM servers").size());
        }
    }

    @Test
    void aServerRestartedOnItsDataDirectoryAfterACrashTakesOverItsOwnRow() throws Exception {
        TestServer first = TestServer.start(ON_HOST);
        String url = first.databaseUrl();
        List<String> before = strings(url, "SELECT id FROM servers");
        // A crash leaves the row behind, its heartbeat still fresh; a clean close would have deleted it.
        first.close();
        update(url, "INSERT INTO servers (id, host, http_address, ssh_address) VALUES ('" + before.get(0).replace("'", "''")
                + "', 'same-host', '127.0.0.1:1', '127.0.0.1:2')");

        Map<String, String> sameDataDirectory = onDatabase(url);
        sameDataDirectory.put(ServerConfig.DATA, first.dataDir().toString());
        try (TestServer restarted = TestServer.start(sameDataDirectory)) {
            assertEquals(before, strings(url, "SELECT id FROM servers"));
            assertEquals(List.of("127.0.0.1:" + restarted.laambda().httpPort()), strings(url, "SELECT http_address FROM servers"));
        }
    }

    /** Settings of a server on {@code databaseUrl} (TestServer.restart would close a server these tests closed already). */
    private static Map<String, String> onDatabase(String databaseUrl) {
        Map<String, String> env = new java.util.HashMap<>(ON_HOST);
        env.put(ServerConfig.DATABASE_URL, databaseUrl);
        return env;
    }

    private static List<String> strings(String databaseUrl, String sql) throws SQLException {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl(databaseUrl);
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static void update(String databaseUrl, String sql) throws SQLException {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl(databaseUrl);
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }
}
