package dev.laambda.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-app locks that hold across every server sharing the database: PostgreSQL session-level advisory locks,
 * each held on its own connection until closed. Two kinds, so that a config change need not wait for a build:
 * <ul>
 *   <li>{@link #lockBuilds}: one build (deploy) of an app at a time, held for the whole push;</li>
 *   <li>{@link #lockReleases}: one release going live at a time, held from prepare to switch
 *       (docs/architecture.md, "Going live"), so the next release is always made from the one that is live.</li>
 * </ul>
 * Whoever takes both takes the build lock first. Within one server, waiters queue on a lock in memory first, so
 * at most one connection per app and kind waits in PostgreSQL however many requests wait.
 */
public final class AppLocks {

    /** The advisory lock namespaces ("LA", "LR"), so other advisory locks cannot collide. */
    private static final int BUILD_LOCKS = 0x4C41;
    private static final int RELEASE_LOCKS = 0x4C52;

    private final Database database;
    private final Map<Long, ReentrantLock> local = new ConcurrentHashMap<>();

    public AppLocks(Database database) {
        this.database = database;
    }

    /** A held lock; closing it releases the lock and the connection. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for the app's build lock; {@code onWait} runs once if another build holds it. */
    public Held lockBuilds(long appId, Runnable onWait) {
        return lock(BUILD_LOCKS, appId, onWait);
    }

    /** Waits for the app's release lock; {@code onWait} runs once if another release is going live. */
    public Held lockReleases(long appId, Runnable onWait) {
        return lock(RELEASE_LOCKS, appId, onWait);
    }

    private Held lock(int namespace, long appId, Runnable onWait) {
        ReentrantLock inProcess = local.computeIfAbsent(((long) namespace << 32) ^ appId, key -> new ReentrantLock(true));
        if (inProcess.isHeldByCurrentThread()) {
            // A second connection would wait for the first one's advisory lock for ever.
            throw new IllegalStateException("app " + appId + "'s lock " + Integer.toHexString(namespace)
                    + " is already held by this thread");
        }
        boolean waited = !inProcess.tryLock();
        if (waited) {
            onWait.run();
            inProcess.lock();
        }
        try {
            Connection connection = database.dataSource().getConnection();
            try {
                boolean got = Jdbc.queryOne(connection, "SELECT pg_try_advisory_lock(?, ?)",
                        r -> r.getBoolean(1), namespace, (int) appId).orElse(false);
                if (!got) {
                    if (!waited) {
                        onWait.run();
                    }
                    Jdbc.queryOne(connection, "SELECT pg_advisory_lock(?, ?)", r -> 1, namespace, (int) appId);
                }
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return () -> release(connection, namespace, appId, inProcess);
        } catch (SQLException e) {
            inProcess.unlock();
            throw new Database.DatabaseException(e);
        } catch (RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
    }

    private static void release(Connection connection, int namespace, long appId, ReentrantLock inProcess) {
        try (connection) {
            Jdbc.queryOne(connection, "SELECT pg_advisory_unlock(?, ?)", r -> 1, namespace, (int) appId);
        } catch (SQLException e) {
            throw new Database.DatabaseException(e);
        } finally {
            inProcess.unlock();
        }
    }
}
