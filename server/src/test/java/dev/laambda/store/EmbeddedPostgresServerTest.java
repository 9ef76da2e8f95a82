package dev.laambda.store;

import dev.laambda.LaambdaException;
import dev.laambda.SecretFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL as a hostile neighbour on the same machine meets it: nothing gets in without the password. */
class EmbeddedPostgresServerTest {

    /** PostgreSQL's SQLSTATE for a wrong or missing password. */
    private static final String INVALID_PASSWORD = "28P01";

    @TempDir
    Path data;

    @Test
    void aNewDataDirectoryRefusesEveryConnectionWithoutThePassword() throws Exception {
        Path passwordFile = data.resolve("postgres.password");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data.resolve("postgres"), passwordFile)) {
            String password = Files.readString(passwordFile).trim();
            assertTrue(password.length() >= 43, "32 random bytes in base64url");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals(password, server.target().password(), "the server's own connections use the kept password");

            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
            assertRefused(url, null);
            assertRefused(url, "");
            assertRefused(url, "not-" + password);
            assertRefused("jdbc:postgresql://[::1]:" + server.port() + "/postgres", null);
            assertEquals(1, selectOne(url, password));

            try (Connection connection = connect(server.target())) {
                assertEquals("scram-sha-256", show(connection, "password_encryption"));
                assertEquals("127.0.0.1,::1", show(connection, "listen_addresses"));
                String socketDir = show(connection, "unix_socket_directories");
                assertSocketRefusesWithoutPassword(socketDir, server.port());
                assertEquals("1", psqlOverSocket(socketDir, server.port(), password).output().strip(),
                        "with the password the socket works");
            }
        }
        assertNoTrustOrPeer(data.resolve("postgres"));
    }

    @Test
    void aDataDirectoryMadeWithoutAPasswordKeepsItsRowsAndRequiresThePasswordFromItsNextStart() throws Exception {
        Path dataDir = data.resolve("postgres");
        try (EmbeddedPostgres old = startTheOldWay(dataDir);
             Connection connection = old.getPostgresDatabase().getConnection()) {
            keep(connection, "made before passwords");
        }
        assertTrue(Files.readString(dataDir.resolve("pg_hba.conf")).contains("trust"), "the old way trusts local connections");

        Path passwordFile = data.resolve("postgres.password");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, passwordFile);
             Connection connection = connect(server.target())) {
            assertEquals("made before passwords", kept(connection));
            assertRefused("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres", null);
            assertSocketRefusesWithoutPassword(show(connection, "unix_socket_directories"), server.port());
        }
        assertNoTrustOrPeer(dataDir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
    }

    @Test
    void aRestartUsesTheKeptPasswordAndKeepsTheData() throws Exception {
        Path dataDir = data.resolve("postgres");
        Path passwordFile = data.resolve("postgres.password");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, passwordFile);
             Connection connection = connect(first.target())) {
            keep(connection, "from the first start");
        }
        String password = Files.readString(passwordFile);
        String hba = Files.readString(dataDir.resolve("pg_hba.conf"));

        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, passwordFile);
             Connection connection = connect(second.target())) {
            assertEquals("from the first start", kept(connection));
            assertRefused("jdbc:postgresql://127.0.0.1:" + second.port() + "/postgres", null);
        }
        assertEquals(password, Files.readString(passwordFile), "the password is made once");
        assertEquals(hba, Files.readString(dataDir.resolve("pg_hba.conf")));
    }

    @Test
    void aSecuredDataDirectoryWhosePasswordFileIsGoneRefusesToStartAndSaysWhatToRestore() throws Exception {
        Path dataDir = data.resolve("postgres");
        Path passwordFile = data.resolve("postgres.password");
        EmbeddedPostgresServer.start(dataDir, passwordFile).close();
        Files.delete(passwordFile);

        LaambdaException refused = assertThrows(LaambdaException.class, () -> EmbeddedPostgresServer.start(dataDir, passwordFile));
        assertEquals("postgres_password_missing", refused.code());
        assertTrue(refused.getMessage().contains(passwordFile.toString()) && refused.getMessage().contains("restore"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line");
        assertFalse(Files.exists(passwordFile), "no new password that would not match the data directory's");
    }

    @Test
    void aPasswordFileThatDoesNotBelongToTheDataDirectoryIsNamedAsTheProblem() throws Exception {
        Path dataDir = data.resolve("postgres");
        Path passwordFile = data.resolve("postgres.password");
        EmbeddedPostgresServer.start(dataDir, passwordFile).close();
        SecretFile.create(passwordFile, SecretFile.randomToken(32));

        LaambdaException refused = assertThrows(LaambdaException.class, () -> EmbeddedPostgresServer.start(dataDir, passwordFile));
        assertEquals("postgres_password_wrong", refused.code());
        assertTrue(refused.getMessage().contains(passwordFile.toString()), refused.getMessage());
        assertFalse(Files.exists(dataDir.resolve("postmaster.pid")), "PostgreSQL was not started with a password it would refuse");
    }

    @Test
    void aLockFileLeftByAPostgresThatIsGoneDoesNotHoldUpTheNextStart() throws Exception {
        Path dataDir = data.resolve("postgres");
        Path passwordFile = data.resolve("postgres.password");
        String lockFile;
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, passwordFile);
             Connection connection = connect(first.target())) {
            keep(connection, "before the power cut");
            lockFile = Files.readString(dataDir.resolve("postmaster.pid"));
        }
        long gone = Long.parseLong(lockFile.lines().findFirst().orElseThrow());
        awaitGone(gone);
        // As a power cut leaves it: PostgreSQL's own lock file, naming a postmaster that no longer runs.
        Files.writeString(dataDir.resolve("postmaster.pid"), lockFile);

        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, passwordFile);
             Connection connection = connect(second.target())) {
            assertEquals("before the power cut", kept(connection));
        }
    }

    @Test
    void aLockFileNamingALiveProcessThatIsNotThisDirectorysPostgresNeverStopsThatProcess() throws Exception {
        Path dataDir = data.resolve("postgres");
        Path passwordFile = data.resolve("postgres.password");
        String lockFile;
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, passwordFile)) {
            lockFile = Files.readString(dataDir.resolve("postmaster.pid"));
        }
        // The PID was recycled: once by a process working in the data directory, once by one named postgres elsewhere.
        Path elsewhere = Files.createDirectories(data.resolve("elsewhere"));
        Path namedPostgres = Files.copy(Path.of("/bin/sleep"), elsewhere.resolve("postgres"));
        List<Process> strangers = List.of(
                new ProcessBuilder("sleep", "600").directory(dataDir.toFile()).start(),
                new ProcessBuilder(namedPostgres.toString(), "600").directory(elsewhere.toFile()).start());
        try {
            for (Process stranger : strangers) {
                Files.writeString(dataDir.resolve("postmaster.pid"), lockFile.replaceFirst("^\\d+", String.valueOf(stranger.pid())));
                assertFalse(StalePostmaster.isPostgresOf(stranger.pid(), dataDir), stranger.info().command().orElse("?"));

                try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(dataDir, passwordFile)) {
                    assertEquals(1, selectOne(next.target().jdbcUrl(), next.target().password()));
                }
                assertTrue(stranger.isAlive(), "process " + stranger.pid() + " was left alone");
            }
        } finally {
            strangers.forEach(Process::destroyForcibly);
        }
    }

    /**
     * pg_ctl stop returns once the lock file is gone; the postmaster exits a moment later and stays a zombie until its
     * reaper (init) collects it, which may take seconds. PostgreSQL takes a zombie for a live process, so wait for both.
     */
    private static void awaitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 600 && ProcessHandle.of(pid).isPresent(); i++) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).isPresent(), "postmaster " + pid + " has exited and been reaped");
    }

    /** What the code before passwords did: zonky's defaults, initdb with trust. */
    private static EmbeddedPostgres startTheOldWay(Path dataDir) throws Exception {
        Path runtimeDir = dataDir.resolveSibling(dataDir.getFileName() + "-runtime");
        Files.createDirectories(runtimeDir);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(runtimeDir.toFile())
                .start();
    }

    private static void assertRefused(String url, String password) {
        PSQLException refused = assertThrows(PSQLException.class, () -> selectOne(url, password),
                "a connection to " + url + " with password " + (password == null ? "none" : "'" + password + "'"));
        // Without a password the server asks for SCRAM and pgjdbc has nothing to answer; with a wrong one the server refuses.
        if (password == null || password.isEmpty()) {
            assertTrue(refused.getMessage().contains("server requested SCRAM-based authentication"), refused.getMessage());
        } else {
            assertEquals(INVALID_PASSWORD, refused.getSQLState(), refused.getMessage());
        }
    }

    private static void assertSocketRefusesWithoutPassword(String socketDir, int port) throws Exception {
        Psql withoutPassword = psqlOverSocket(socketDir, port, null);
        assertNotEquals(0, withoutPassword.exit(), withoutPassword.output());
        assertTrue(withoutPassword.output().contains("password"), withoutPassword.output());
        assertFalse(withoutPassword.output().strip().equals("1"), withoutPassword.output());
    }

    private static void assertNoTrustOrPeer(Path dataDir) throws Exception {
        List<String> rules = Files.readAllLines(dataDir.resolve("pg_hba.conf")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertTrue(rules.stream().anyMatch(line -> line.startsWith("local")), "the Unix socket lines are there: " + rules);
        for (String rule : rules) {
            assertTrue(rule.endsWith("scram-sha-256"), rule);
            assertFalse(rule.startsWith("host") && !rule.contains("127.0.0.1/32") && !rule.contains("::1/128"),
                    "loopback only: " + rule);
        }
    }

    private record Psql(int exit, String output) {
    }

    /** The real psql client over the Unix socket, with PGPASSWORD set only when given (never from this JVM's environment). */
    private static Psql psqlOverSocket(String socketDir, int port, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-w", "-At", "-h", socketDir, "-p", String.valueOf(port),
                "-U", "postgres", "-d", "postgres", "-c", "select 1"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PG"));
        env.put("PGPASSFILE", "/dev/null");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Psql(process.exitValue(), output);
    }

    private static int selectOne(String url, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", password);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection connect(JdbcTarget target) throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
    }

    private static void keep(Connection connection, String note) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (note text)");
            statement.execute("INSERT INTO kept VALUES ('" + note + "')");
        }
    }

    private static String kept(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT note FROM kept")) {
            assertTrue(rows.next(), "the row is still there");
            return rows.getString(1);
        }
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
