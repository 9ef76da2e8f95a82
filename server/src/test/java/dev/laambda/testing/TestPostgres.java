package dev.laambda.testing;

import dev.laambda.store.EmbeddedPostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (the same embedded server Laambda runs by default) for a whole test JVM;
 * every test server gets a database of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestPostgres() {
    }

    /** A postgres:// URL to a new, empty database. */
    public static synchronized String newDatabaseUrl() {
        EmbeddedPostgresServer postgres = server();
        String name = "laambda_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(postgres.target().jdbcUrl(), "postgres", postgres.target().password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        // The password is base64url: nothing in it needs escaping in a URL.
        return "postgres://postgres:" + postgres.target().password() + "@localhost:" + postgres.port() + "/" + name;
    }

    private static EmbeddedPostgresServer server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("laambda-test-pg");
                server = EmbeddedPostgresServer.start(dir.resolve("postgres"), dir.resolve("postgres.password"));
                EmbeddedPostgresServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    dev.laambda.Directories.deleteTree(dir); // a cluster per test JVM: gigabytes over many runs
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
