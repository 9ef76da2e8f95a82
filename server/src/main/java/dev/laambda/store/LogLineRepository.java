package dev.laambda.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The log_lines table: every app's log stream. Lines are written in batches (logs/AppLog), and each batch
 * notifies the channel {@value #CHANNEL} with the ids of the apps it wrote for, so a tail on any server sharing
 * the database wakes up (PostgreSQL LISTEN/NOTIFY).
 */
public final class LogLineRepository {

    /** The NOTIFY channel; the payload is an app id. */
    public static final String CHANNEL = "laambda_log_lines";
    private static final String COLUMNS = "id, app_id, at, source, process, request_id, line";

    private final Database database;

    public LogLineRepository(Database database) {
        this.database = database;
    }

    /**
     * Stores the lines (their ids are ignored) and notifies each app's tails, in one statement: one round trip per
     * batch, since every batch's cost is taken from the invocations running beside it. Inside it:
     * <ul>
     *   <li>synchronous_commit is off for this one commit: log lines may be lost in a crash (as queued ones are),
     *       so the commit need not wait for the disk;</li>
     *   <li>the lines arrive as arrays, unnested in order, so their ids follow the lines' order;</li>
     *   <li>lines of an app that is gone are skipped.</li>
     * </ul>
     */
    public void insert(Collection<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        int count = lines.size();
        Long[] appIds = new Long[count];
        Timestamp[] ats = new Timestamp[count];
        String[] sources = new String[count];
        String[] processes = new String[count];
        String[] requestIds = new String[count];
        String[] texts = new String[count];
        int i = 0;
        for (LogLine line : lines) {
            appIds[i] = line.appId();
            ats[i] = Timestamp.from(line.at());
            sources[i] = line.source().id();
            processes[i] = line.process();
            requestIds[i] = line.requestId();
            texts[i] = line.line();
            i++;
        }
        database.read(c -> {
            try (PreparedStatement insert = c.prepareStatement("WITH quick AS (SELECT set_config('synchronous_commit', "
                    + "'off', true)), stored AS (INSERT INTO log_lines (app_id, at, source, process, request_id, line) "
                    + "SELECT u.app_id, u.at, u.source, u.process, u.request_id, u.line "
                    + "FROM unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                    + "WITH ORDINALITY AS u(app_id, at, source, process, request_id, line, n) "
                    + "WHERE EXISTS (SELECT 1 FROM apps WHERE id = u.app_id) ORDER BY u.n RETURNING app_id) "
                    + "SELECT pg_notify('" + CHANNEL + "', app_id::text) FROM (SELECT DISTINCT app_id FROM stored) apps, quick")) {
                insert.setArray(1, c.createArrayOf("bigint", appIds));
                insert.setArray(2, c.createArrayOf("timestamptz", ats));
                insert.setArray(3, c.createArrayOf("text", sources));
                insert.setArray(4, c.createArrayOf("text", processes));
                insert.setArray(5, c.createArrayOf("text", requestIds));
                insert.setArray(6, c.createArrayOf("text", texts));
                insert.executeQuery().close();
            }
            return null;
        });
    }

    /**
     * Stores lines copied from elsewhere, each keyed by its {@code externalId} (unique per app): a line stored
     * before is skipped. Notifies the app's tails when any line was new; how many were.
     */
    public int insertCopied(long appId, Map<String, LogLine> byExternalId) {
        if (byExternalId.isEmpty()) {
            return 0;
        }
        return database.transaction(c -> {
            int added = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO log_lines (app_id, at, source, process, "
                    + "request_id, line, external_id) SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM apps "
                    + "WHERE id = ?) ON CONFLICT (app_id, external_id) WHERE external_id IS NOT NULL DO NOTHING")) {
                for (Map.Entry<String, LogLine> copied : byExternalId.entrySet()) {
                    LogLine line = copied.getValue();
                    insert.setLong(1, appId);
                    insert.setTimestamp(2, Timestamp.from(line.at()));
                    insert.setString(3, line.source().id());
                    insert.setString(4, line.process());
                    insert.setString(5, line.requestId());
                    insert.setString(6, line.line());
                    insert.setString(7, copied.getKey());
                    insert.setLong(8, appId);
                    insert.addBatch();
                }
                for (int count : insert.executeBatch()) {
                    added += Math.max(count, 0);
                }
            }
            if (added > 0) {
                Jdbc.queryOne(c, "SELECT pg_notify(?, ?)", r -> 1, CHANNEL, Long.toString(appId));
            }
            return added;
        });
    }

    /** When the newest line copied for the app's {@code process} was logged, if any is stored. */
    public Optional<Instant> newestCopied(long appId, String process) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT max(at) FROM log_lines WHERE app_id = ? AND process = ? "
                + "AND external_id IS NOT NULL", r -> Optional.ofNullable(Jdbc.instant(r, "max")), appId, process))
                .flatMap(at -> at);
    }

    /** The newest {@code limit} lines that pass the filters, oldest first; after {@code afterId}: the oldest ones. */
    public List<LogLine> find(LogQuery query) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE app_id = ?");
        params.add(query.appId());
        query.process().ifPresent(process -> {
            where.append(" AND process = ?");
            params.add(process);
        });
        query.source().ifPresent(source -> {
            where.append(" AND source = ?");
            params.add(source.id());
        });
        query.since().ifPresent(since -> {
            where.append(" AND at >= ?");
            params.add(Timestamp.from(since));
        });
        query.requestId().ifPresent(requestId -> {
            where.append(" AND request_id = ?");
            params.add(requestId);
        });
        query.afterId().ifPresent(after -> {
            where.append(" AND id > ?");
            params.add(after);
        });
        params.add(query.limit());
        String sql = query.afterId().isPresent()
                ? "SELECT " + COLUMNS + " FROM log_lines " + where + " ORDER BY id LIMIT ?"
                : "SELECT * FROM (SELECT " + COLUMNS + " FROM log_lines " + where + " ORDER BY id DESC LIMIT ?) newest "
                        + "ORDER BY id";
        return database.read(c -> Jdbc.query(c, sql, LogLineRepository::map, params.toArray()));
    }

    /** The id of the app's newest line, 0 when it has none: where a tail that asked for no backlog starts. */
    public long newestId(long appId) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT coalesce(max(id), 0) FROM log_lines WHERE app_id = ?",
                r -> r.getLong(1), appId).orElse(0L));
    }

    /** Deletes lines older than {@code before}, then each app's lines past its newest {@code maxPerApp}; how many. */
    public int prune(Instant before, int maxPerApp) {
        return database.transaction(c -> {
            int removed = Jdbc.update(c, "DELETE FROM log_lines WHERE at < ?", Timestamp.from(before));
            removed += Jdbc.update(c, "DELETE FROM log_lines l USING (SELECT app_id, (SELECT id FROM log_lines x "
                    + "WHERE x.app_id = a.app_id ORDER BY id DESC OFFSET ? LIMIT 1) AS cut FROM (SELECT DISTINCT app_id "
                    + "FROM log_lines) a) over WHERE l.app_id = over.app_id AND over.cut IS NOT NULL AND l.id <= over.cut",
                    maxPerApp);
            return removed;
        });
    }

    private static LogLine map(ResultSet row) throws SQLException {
        return new LogLine(row.getLong("id"), row.getLong("app_id"), Jdbc.instant(row, "at"),
                LogLine.Source.valueOf(row.getString("source").toUpperCase(java.util.Locale.ROOT)),
                row.getString("process"), row.getString("request_id"), row.getString("line"));
    }
}
