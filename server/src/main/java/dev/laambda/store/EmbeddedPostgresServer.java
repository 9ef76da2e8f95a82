package dev.laambda.store;

import dev.laambda.LaambdaException;
import dev.laambda.SecretFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The PostgreSQL server Laambda runs for itself when no DATABASE_URL is given:
 * binaries from Maven (zonky), data kept in the server's data directory across restarts.
 * As root it runs PostgreSQL inside a user namespace (zonky uses `unshare`), since PostgreSQL refuses root.
 *
 * <p>It listens on loopback only, and every connection needs the superuser's password (SCRAM), a random one kept in a
 * mode-600 file beside the data directory: functions and other users of the machine must not reach the data and the
 * master key through it. zonky's initdb trusts every local connection, so before PostgreSQL first starts on a data
 * directory (new, or made by a Laambda before passwords) the password is set in single-user mode and pg_hba.conf is
 * replaced: there is no moment in which the server accepts a connection without the password.
 *
 * <p>A PostgreSQL that a killed server left running on the data directory is stopped first ({@link StalePostmaster}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    public static EmbeddedPostgresServer start(Path dataDir, Path passwordFile) {
        try {
            Files.createDirectories(dataDir);
            Path runtimeDir = dataDir.resolveSibling(dataDir.getFileName() + "-runtime");
            Files.createDirectories(runtimeDir);
            String password = password(dataDir, passwordFile);
            PostgresBinaries binaries = new PostgresBinaries(runtimeDir);
            boolean existing = Files.exists(dataDir.resolve("postgresql.conf"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(binaries)
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
                    .setServerConfig("listen_addresses", "127.0.0.1,::1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // Runs after zonky's initdb and before PostgreSQL starts.
                    .setDataDirectoryCustomizer(dir -> {
                        clearStalePostmaster(dir.toPath(), binaries);
                        requirePassword(dir, binaries, password, passwordFile, existing);
                    })
                    // zonky's own readiness check connects as the superuser too.
                    .setConnectConfig("password", password)
                    .start();
            return new EmbeddedPostgresServer(postgres, password);
        } catch (IllegalStateException e) {
            // zonky locks epg-lock in the data directory for as long as its PostgreSQL runs, before anything else
            // touches the directory: a live server's PostgreSQL is never taken for one a killed server left.
            if (String.valueOf(e.getMessage()).startsWith("could not lock")) {
                throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "data_dir_in_use", "Another Laambda server is using "
                        + dataDir + " (its PostgreSQL holds the lock): stop that server, or give this one another data directory");
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The kept password; a new one for a data directory that does not require one yet. */
    private static String password(Path dataDir, Path passwordFile) throws IOException {
        Optional<String> kept = SecretFile.read(passwordFile).filter(line -> !line.isEmpty());
        if (kept.isPresent()) {
            return kept.get();
        }
        if (PgHba.requiresPassword(dataDir)) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "postgres_password_missing",
                    "The embedded PostgreSQL in " + dataDir + " requires a password, but its password file " + passwordFile
                            + " is missing or empty: restore that file from a backup of the data directory");
        }
        String fresh = SecretFile.randomToken(32);
        SecretFile.create(passwordFile, fresh);
        log.info("event=embedded_postgres_password_created file={}", passwordFile);
        return fresh;
    }

    /** A PostgreSQL a killed server left running on the directory: stopped, else nothing could start on it. */
    private static void clearStalePostmaster(Path dataDir, PostgresBinaries binaries) {
        try {
            StalePostmaster.clear(dataDir, binaries);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the PostgreSQL an earlier start left running on " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Sets the superuser's password and replaces pg_hba.conf; or, where an earlier start did so, checks that the kept
     * password opens the data directory (zonky would otherwise retry for its whole startup wait, then say only that it gave up).
     */
    private static void requirePassword(File dir, PostgresBinaries binaries, String password, Path passwordFile, boolean existing) {
        Path dataDir = dir.toPath();
        try {
            if (PgHba.requiresPassword(dataDir)) {
                if (!SuperuserPassword.matches(binaries, dataDir, password)) {
                    throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "postgres_password_wrong",
                            "The password in " + passwordFile + " does not open the embedded PostgreSQL in " + dataDir
                                    + ": restore the password file that belongs to this data directory from a backup");
                }
                return;
            }
            // Password first, pg_hba.conf second: a crash in between leaves a data dir that is secured again,
            // with the same password, at the next start.
            SuperuserPassword.set(binaries, dataDir, password);
            PgHba.writePasswordOnly(dataDir);
            log.info("event=embedded_postgres_secured dir={} data_dir={} auth=scram-sha-256", dataDir, existing ? "existing" : "new");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not set the embedded PostgreSQL's password in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The superuser connection to the default database. */
    public JdbcTarget target() {
        return target("postgres");
    }

    public JdbcTarget target(String database) {
        return new JdbcTarget(postgres.getJdbcUrl(SuperuserPassword.SUPERUSER, database), SuperuserPassword.SUPERUSER, password);
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
