package dev.laambda.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A PostgreSQL cluster of Debian's own `postgresql` package (not the embedded one each Laambda server runs for itself),
 * made for one test class in a temporary directory with initdb and run with pg_ctl on a free loopback port, then
 * stopped and removed by {@link #close}. `./run-tests` installs the package (scripts/postgres-cluster --install),
 * sets LAAMBDA_TEST_POSTGRES_BIN to its bin directory and LAAMBDA_TESTS_REQUIRE_POSTGRES=1, so there a missing
 * PostgreSQL fails the test; elsewhere the test is skipped unless the package is installed.
 */
public final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String password;

    private PostgresCluster(Path bin, Path dir, int port, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** Makes and starts a cluster, or skips the calling test (fails it under run-tests) without Debian's PostgreSQL. */
    public static PostgresCluster start() {
        Path bin = installed().orElseGet(() -> {
            String how = "Debian's PostgreSQL is not installed: run scripts/postgres-cluster --install "
                    + "(or set LAAMBDA_TEST_POSTGRES_BIN to the directory of its initdb and pg_ctl)";
            if ("1".equals(System.getenv("LAAMBDA_TESTS_REQUIRE_POSTGRES"))) {
                fail("These tests need PostgreSQL and LAAMBDA_TESTS_REQUIRE_POSTGRES=1, but " + how);
            }
            Assumptions.abort(how);
            return null;
        });
        try {
            Path dir = Files.createTempDirectory("laambda-pg-cluster");
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(18));
            Path passwordFile = dir.resolve("password");
            Files.writeString(passwordFile, password + "\n");
            run(bin, dir, "initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C");
            // The free port is found, closed and handed to PostgreSQL: another process may take it in between, so retry.
            String lastFailure = "";
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freeLoopbackPort();
                try {
                    // A throwaway cluster: no fsync. Sockets in the temp dir: Debian's /run/postgresql is not ours.
                    run(bin, dir, "pg_ctl", "start", "-w", "-t", "60", "-D", dir.resolve("data").toString(),
                            "-l", dir.resolve("postgres.log").toString(), "-o", "-p " + port + " -c listen_addresses=127.0.0.1 "
                                    + "-k " + dir + " -c max_connections=300 -c fsync=off");
                    PostgresCluster cluster = new PostgresCluster(bin, dir, port, password);
                    cluster.execute("CREATE DATABASE laambda");
                    return cluster;
                } catch (IOException e) {
                    lastFailure = e.getMessage() + "\n" + log(dir);
                }
            }
            throw new IllegalStateException("Debian's PostgreSQL did not start in " + dir + ":\n" + lastFailure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The postgres:// URL of the cluster's database `laambda` (DATABASE_URL of every server sharing it). */
    public String databaseUrl() {
        return "postgres://postgres:" + password + "@127.0.0.1:" + port + "/laambda";
    }

    /** Which PostgreSQL this is (`SELECT version()`): Debian's, not the embedded one. */
    public String version() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("laambda"), "postgres", password);
             Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT version()")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path binaries() {
        return bin;
    }

    @Override
    public void close() {
        try {
            run(bin, dir, "pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", dir.resolve("data").toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the PostgreSQL cluster in " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void execute(String sql) throws IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IOException(sql + ": " + e.getMessage(), e);
        }
    }

    /** LAAMBDA_TEST_POSTGRES_BIN, else the newest /usr/lib/postgresql/N/bin: a developer who installed it needs no setting. */
    private static Optional<Path> installed() {
        String set = System.getenv("LAAMBDA_TEST_POSTGRES_BIN");
        if (set != null && !set.isBlank()) {
            return Optional.of(Path.of(set)).filter(dir -> Files.isExecutable(dir.resolve("initdb")));
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(dir -> Files.isExecutable(dir.resolve("initdb")))
                    .max(Comparator.comparing(dir -> versionNumber(dir.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionNumber(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Runs initdb or pg_ctl; as root inside a user namespace (`unshare -U`), where this process is nobody, since
     * PostgreSQL refuses to run as root (the embedded server does the same: store/PostgresBinaries).
     */
    private static void run(Path bin, Path dir, String binary, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(bin.resolve(binary).toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(dir, binary, ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(binary + " did not finish in 2 minutes: " + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(binary + " failed (exit " + process.exitValue() + "): "
                    + Files.readString(output, StandardCharsets.UTF_8).strip());
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("postgres.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover directory in the temporary directory harms nothing.
        }
    }
}
