package dev.laambda.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The log_drains table: each app's drains and how far each has been forwarded. */
public final class DrainRepository {

    private static final String COLUMNS = "id, app_id, url, created_at, forwarded_id";

    private final Database database;

    public DrainRepository(Database database) {
        this.database = database;
    }

    /**
     * Adds a drain that starts after the app's newest stored line; empty when the app already drains to
     * {@code url}. The unique key decides, so two servers adding the same URL at once add it once.
     */
    public Optional<Drain> add(long appId, String url) {
        return database.transaction(c -> Jdbc.queryOne(c, "INSERT INTO log_drains (app_id, url, forwarded_id) "
                        + "SELECT ?, ?, coalesce((SELECT max(id) FROM log_lines WHERE app_id = ?), 0) "
                        + "ON CONFLICT (app_id, url) DO NOTHING RETURNING " + COLUMNS,
                DrainRepository::map, appId, url, appId));
    }

    public int count(long appId) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT count(*) FROM log_drains WHERE app_id = ?",
                r -> r.getInt(1), appId).orElse(0));
    }

    public List<Drain> list(long appId) {
        return database.read(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM log_drains WHERE app_id = ? ORDER BY id",
                DrainRepository::map, appId));
    }

    public Optional<Drain> find(long drainId) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM log_drains WHERE id = ?",
                DrainRepository::map, drainId));
    }

    /** Every app's drains: what the forwarders of all servers share out. */
    public List<Drain> all() {
        return database.read(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM log_drains ORDER BY id",
                DrainRepository::map));
    }

    /** Removes one of the app's drains; empty when it has no such drain. */
    public Optional<Drain> remove(long appId, long drainId) {
        return database.transaction(c -> Jdbc.queryOne(c, "DELETE FROM log_drains WHERE id = ? AND app_id = ? RETURNING "
                + COLUMNS, DrainRepository::map, drainId, appId));
    }

    /** Records that lines up to {@code lineId} were sent; false when the drain is gone (removed, or its app). */
    public boolean forwarded(long drainId, long lineId) {
        return database.transaction(c -> Jdbc.update(c, "UPDATE log_drains SET forwarded_id = greatest(forwarded_id, ?) "
                + "WHERE id = ?", lineId, drainId)) == 1;
    }

    /**
     * The id of the app's {@code behind}-th newest line, 0 when it has fewer: a drain whose last forwarded line is
     * older than that is more than {@code behind} lines behind.
     */
    public long lineBehind(long appId, int behind) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT id FROM log_lines WHERE app_id = ? ORDER BY id DESC "
                + "OFFSET ? LIMIT 1", r -> r.getLong(1), appId, behind - 1).orElse(0L));
    }

    /** How many of the app's lines lie in (afterId, upToId]: what a skip ahead leaves out. */
    public long linesBetween(long appId, long afterId, long upToId) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT count(*) FROM log_lines WHERE app_id = ? AND id > ? AND id <= ?",
                r -> r.getLong(1), appId, afterId, upToId).orElse(0L));
    }

    private static Drain map(ResultSet row) throws SQLException {
        return new Drain(row.getLong("id"), row.getLong("app_id"), row.getString("url"), Jdbc.instant(row, "created_at"),
                row.getLong("forwarded_id"));
    }
}
