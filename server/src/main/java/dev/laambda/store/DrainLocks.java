package dev.laambda.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Which server forwards which drain, when several share the database: a PostgreSQL session-level advisory lock
 * per drain, all held on one connection of this server (so a hundred drains take one connection, not a hundred).
 * When that connection breaks, PostgreSQL lets every lock go at once, and so must this server's forwarders:
 * {@link #alive} says whether they may go on.
 */
public final class DrainLocks implements AutoCloseable {

    /** The advisory lock namespace ("LD"), distinct from AppLocks' build ("LA") and release ("LR") ones. */
    private static final int DRAIN_LOCKS = 0x4C44;

    private final Database database;
    private Connection connection;

    public DrainLocks(Database database) {
        this.database = database;
    }

    /** Takes the drain's lock if no server holds it; false when another does. */
    public synchronized boolean tryLock(long drainId) {
        try {
            return Jdbc.queryOne(connection(), "SELECT pg_try_advisory_lock(?, ?)", r -> r.getBoolean(1), DRAIN_LOCKS,
                    (int) drainId).orElse(false);
        } catch (SQLException e) {
            drop();
            throw new Database.DatabaseException(e);
        }
    }

    /** Lets another server take the drain (this one stopped forwarding it). */
    public synchronized void unlock(long drainId) {
        if (connection == null) {
            return;
        }
        try {
            Jdbc.queryOne(connection, "SELECT pg_advisory_unlock(?, ?)", r -> 1, DRAIN_LOCKS, (int) drainId);
        } catch (SQLException e) {
            drop();
        }
    }

    /** Whether the connection that holds the locks still answers; when not, none of them is held any more. */
    public synchronized boolean alive() {
        if (connection == null) {
            return false;
        }
        try {
            Jdbc.queryOne(connection, "SELECT 1", r -> 1);
            return true;
        } catch (SQLException e) {
            drop();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        drop();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = database.dataSource().getConnection();
        }
        return connection;
    }

    private void drop() {
        if (connection != null) {
            // Out of the pool for good: closed for real, PostgreSQL lets go of every lock it held, and no other
            // borrower gets a connection that still holds them.
            if (database.dataSource() instanceof com.zaxxer.hikari.HikariDataSource pool) {
                pool.evictConnection(connection);
            } else {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // A broken connection: its locks are gone either way.
                }
            }
            connection = null;
        }
    }
}
