package dev.laambda.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The PostgreSQL server Laambda runs for itself when no DATABASE_URL is given:
 * binaries from Maven (zonky), data kept in the server's data directory across restarts.
 * As root it runs PostgreSQL inside a user namespace (zonky uses `unshare`), since PostgreSQL refuses root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path runtimeDir = dataDir.resolveSibling(dataDir.getFileName() + "-runtime");
            Files.createDirectories(runtimeDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(runtimeDir.toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // zonky's defaults suit throwaway test databases (-F, no synchronous commit); a release
                    // that was acknowledged must survive a power cut, so turn durability back on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The superuser connection to the default database. */
    public JdbcTarget target() {
        return target("postgres");
    }

    public JdbcTarget target(String database) {
        return new JdbcTarget(postgres.getJdbcUrl("postgres", database), "postgres", null);
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
