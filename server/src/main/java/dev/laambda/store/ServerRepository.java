package dev.laambda.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The servers table: one heartbeat row per running server. Liveness is judged by the database's clock
 * ({@code now()}), so servers whose clocks disagree still agree on who is live.
 */
public final class ServerRepository {

    /** The advisory lock namespace ("LS") that makes joining one at a time, distinct from AppLocks' and DrainLocks'. */
    private static final int JOIN_LOCK = 0x4C53;
    private static final String COLUMNS = "id, host, http_address, ssh_address, artifact_bucket, started_at, heartbeat_at";

    private final Database database;

    public ServerRepository(Database database) {
        this.database = database;
    }

    /**
     * Adds {@code self}'s row if {@code admit} accepts the other servers live within {@code liveFor} (it throws to
     * refuse, and nothing is written). One server joins at a time, so two starting at once cannot each miss the
     * other. Rows whose heartbeat is older (servers that stopped without closing) are removed; a row with
     * {@code self}'s id is this server's own from before a crash, and is taken over.
     */
    public void join(Server self, Duration liveFor, Consumer<List<Server>> admit) {
        database.transaction(c -> {
            Jdbc.queryOne(c, "SELECT pg_advisory_xact_lock(?, 0)", r -> 1, JOIN_LOCK);
            Jdbc.update(c, "DELETE FROM servers WHERE heartbeat_at < now() - make_interval(secs => ?::float8)",
                    (double) liveFor.toMillis() / 1000);
            admit.accept(Jdbc.query(c, "SELECT " + COLUMNS + " FROM servers WHERE id <> ? ORDER BY started_at, id",
                    ServerRepository::map, self.id()));
            return Jdbc.update(c, "INSERT INTO servers (id, host, http_address, ssh_address, artifact_bucket) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET host = excluded.host, "
                            + "http_address = excluded.http_address, ssh_address = excluded.ssh_address, "
                            + "artifact_bucket = excluded.artifact_bucket, started_at = now(), heartbeat_at = now()",
                    self.id(), self.host(), self.httpAddress(), self.sshAddress(), self.artifactBucket().orElse(null));
        });
    }

    /** Where the server listens, once it does (a port 0 in the settings is chosen only then). */
    public void listening(String id, String httpAddress, String sshAddress) {
        database.transaction(c -> Jdbc.update(c, "UPDATE servers SET http_address = ?, ssh_address = ? WHERE id = ?",
                httpAddress, sshAddress, id));
    }

    /** Refreshes the server's heartbeat; false when its row is gone (deleted as stale while it could not beat). */
    public boolean beat(String id) {
        return database.transaction(c -> Jdbc.update(c, "UPDATE servers SET heartbeat_at = now() WHERE id = ?", id)) == 1;
    }

    /** Puts back the row of a live server that lost it, without judging the others again (it runs already). */
    public void rejoin(Server self) {
        database.transaction(c -> Jdbc.update(c, "INSERT INTO servers (id, host, http_address, ssh_address, artifact_bucket) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()",
                self.id(), self.host(), self.httpAddress(), self.sshAddress(), self.artifactBucket().orElse(null)));
    }

    public void leave(String id) {
        database.transaction(c -> Jdbc.update(c, "DELETE FROM servers WHERE id = ?", id));
    }

    /** Every server live within {@code liveFor}, oldest first. */
    public List<Server> live(Duration liveFor) {
        return database.read(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM servers "
                        + "WHERE heartbeat_at >= now() - make_interval(secs => ?::float8) ORDER BY started_at, id",
                ServerRepository::map, (double) liveFor.toMillis() / 1000));
    }

    private static Server map(ResultSet row) throws SQLException {
        return new Server(row.getString("id"), row.getString("host"), row.getString("http_address"),
                row.getString("ssh_address"), java.util.Optional.ofNullable(row.getString("artifact_bucket")),
                Jdbc.instant(row, "started_at"), Jdbc.instant(row, "heartbeat_at"));
    }
}
