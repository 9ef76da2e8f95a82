package dev.laambda.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The builds table: every build's status and log. */
public final class BuildRepository {

    private static final String COLUMNS = "id, app_id, git_sha, status, started_at, finished_at, log";

    private final Database database;

    public BuildRepository(Database database) {
        this.database = database;
    }

    public Build start(long appId, String gitSha) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "INSERT INTO builds (app_id, git_sha, status) VALUES (?, ?, 'running') RETURNING " + COLUMNS,
                BuildRepository::map, appId, gitSha).orElseThrow());
    }

    /** The log a running build has printed so far, stored as it goes; a finished build's log stays as it was. */
    public void saveLog(long buildId, String log) {
        database.transaction(c -> Jdbc.update(c, "UPDATE builds SET log = ? WHERE id = ? AND status = 'running'", log,
                buildId));
    }

    public void finish(long buildId, Build.Status status, String log) {
        database.transaction(c -> Jdbc.update(c,
                "UPDATE builds SET status = ?, log = ?, finished_at = now() WHERE id = ?", status.sqlName(), log, buildId));
    }

    /** Builds a crashed server left running can never finish: mark them failed. Returns how many. */
    public int failAbandoned() {
        return database.transaction(c -> Jdbc.update(c,
                "UPDATE builds SET status = 'failed', finished_at = now(), "
                        + "log = log || E'\\n!     The server stopped during this build.\\n' WHERE status = 'running'"));
    }

    /** Builds running now on every server of this database. */
    public int running() {
        return database.read(c -> Jdbc.queryOne(c, "SELECT count(*) AS running FROM builds WHERE status = 'running'",
                row -> row.getInt("running")).orElse(0));
    }

    public List<Build> list(long appId, int limit) {
        return database.transaction(c -> Jdbc.query(c,
                "SELECT " + COLUMNS + " FROM builds WHERE app_id = ? ORDER BY id DESC LIMIT ?",
                BuildRepository::map, appId, limit));
    }

    public Optional<Build> find(long appId, long buildId) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "SELECT " + COLUMNS + " FROM builds WHERE app_id = ? AND id = ?", BuildRepository::map, appId, buildId));
    }

    private static Build map(ResultSet row) throws SQLException {
        return new Build(row.getLong("id"), row.getLong("app_id"), row.getString("git_sha"),
                Build.Status.valueOf(row.getString("status").toUpperCase()), Jdbc.instant(row, "started_at"),
                Jdbc.instant(row, "finished_at"), row.getString("log"));
    }
}
