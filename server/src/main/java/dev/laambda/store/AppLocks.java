package dev.laambda.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One deploy at a time per app, across every server sharing the database: a PostgreSQL
 * session-level advisory lock held on its own connection for the whole deploy.
 */
public final class AppLocks {

    /** The advisory lock namespace of app deploys ("LA"), so other advisory locks cannot collide. */
    private static final int DEPLOY_LOCKS = 0x4C41;

    private final Database database;

    public AppLocks(Database database) {
        this.database = database;
    }

    /** A held lock; closing it releases the lock and the connection. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for the app's deploy lock; {@code onWait} runs once if another deploy holds it. */
    public Held lock(long appId, Runnable onWait) {
        try {
            Connection connection = database.dataSource().getConnection();
            try {
                boolean got = Jdbc.queryOne(connection, "SELECT pg_try_advisory_lock(?, ?)",
                        r -> r.getBoolean(1), DEPLOY_LOCKS, (int) appId).orElse(false);
                if (!got) {
                    onWait.run();
                    Jdbc.queryOne(connection, "SELECT pg_advisory_lock(?, ?)", r -> 1, DEPLOY_LOCKS, (int) appId);
                }
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return () -> release(connection, appId);
        } catch (SQLException e) {
            throw new Database.DatabaseException(e);
        }
    }

    private static void release(Connection connection, long appId) {
        try (connection) {
            Jdbc.queryOne(connection, "SELECT pg_advisory_unlock(?, ?)", r -> 1, DEPLOY_LOCKS, (int) appId);
        } catch (SQLException e) {
            throw new Database.DatabaseException(e);
        }
    }
}
