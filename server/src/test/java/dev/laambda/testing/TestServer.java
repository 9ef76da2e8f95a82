package dev.laambda.testing;

import dev.laambda.Laambda;
import dev.laambda.ServerConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real Laambda server on a free loopback port, with its own database and data directory. */
public final class TestServer implements RunningServer, AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("lmb_[A-Za-z0-9_-]+");

    private final Laambda laambda;
    private final String adminToken;
    private final String databaseUrl;
    private final Path dataDir;
    private final String console;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private TestServer(Laambda laambda, String adminToken, String databaseUrl, Path dataDir, String console) {
        this.laambda = laambda;
        this.adminToken = adminToken;
        this.databaseUrl = databaseUrl;
        this.dataDir = dataDir;
        this.console = console;
    }

    /**
     * A server whose builds and functions are host processes, both set by the operator (no isolation between
     * apps, every user let in): for tests of what does not need Docker.
     */
    public static TestServer startOnHost(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of(ServerConfig.BUILDER, "local", ServerConfig.INSTANCES, "process"));
        env.putAll(extraEnv);
        return start(env);
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with DATABASE_URL set to a fresh test database, unless {@code extraEnv} sets it; it adds or overrides settings. */
    public static TestServer start(Map<String, String> extraEnv) {
        try {
            String databaseUrl = extraEnv.containsKey(ServerConfig.DATABASE_URL) ? extraEnv.get(ServerConfig.DATABASE_URL)
                    : TestPostgres.newDatabaseUrl();
            return start(newDataDir(), databaseUrl, null, extraEnv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second server on this one's database (its own data directory), as behind one load balancer. */
    public TestServer another(Map<String, String> extraEnv) {
        try {
            return start(newDataDir(), databaseUrl, adminToken, extraEnv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A data directory, deleted when the test JVM exits (restart reuses one, so closing a server keeps it). */
    private static Path newDataDir() throws IOException {
        Path dir = Files.createTempDirectory("laambda-test-data");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dev.laambda.Directories.deleteTree(dir)));
        return dir;
    }

    /** Stops this server and starts another on the same database and data directory, with {@code extraEnv}. */
    public TestServer restart(Map<String, String> extraEnv) {
        close();
        return start(dataDir, databaseUrl, adminToken, extraEnv);
    }

    private static TestServer start(Path dataDir, String databaseUrl, String knownAdminToken, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put(ServerConfig.DATA, dataDir.toString());
        env.put(ServerConfig.HTTP_HOST, "127.0.0.1");
        env.put(ServerConfig.HTTP_PORT, "0");
        env.put(ServerConfig.DATABASE_URL, databaseUrl);
        env.put(ServerConfig.SSH_HOST, "127.0.0.1");
        env.put(ServerConfig.SSH_PORT, "0");
        env.put(ServerConfig.BUILDPACKS_DIR, Path.of("..", "buildpacks").toAbsolutePath().normalize().toString());
        // Where builds and instances run, and the images, follow the test run's own settings
        // (`LAAMBDA_INSTANCES=process LAAMBDA_BUILDER=local mvn test` on a machine without Docker); auto by default.
        System.getenv().forEach((name, value) -> {
            if (name.equals(ServerConfig.BUILDER) || name.equals(ServerConfig.INSTANCES)
                    || name.startsWith("LAAMBDA_IMAGE_") || name.startsWith("LAAMBDA_RUN_IMAGE_")) {
                env.put(name, value);
            }
        });
        env.putAll(extraEnv);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Laambda laambda = Laambda.start(ServerConfig.fromEnvironment(env),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        String printed = console.toString(StandardCharsets.UTF_8);
        Matcher token = TOKEN.matcher(printed);
        return new TestServer(laambda, token.find() ? token.group() : knownAdminToken, databaseUrl, dataDir, printed);
    }

    /** What the server printed on its console at start. */
    public String console() {
        return console;
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + laambda.httpPort();
    }

    /** The first admin's token, as the server printed it on first start. */
    public String adminToken() {
        return adminToken;
    }

    public String databaseUrl() {
        return databaseUrl;
    }

    /** The app's id, as the database holds it: the key of its directories in the data directory. */
    public long appId(String name) {
        dev.laambda.store.JdbcTarget target = dev.laambda.store.JdbcTarget.fromDatabaseUrl(databaseUrl);
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.user(),
                target.password());
             java.sql.PreparedStatement query = connection.prepareStatement("SELECT id FROM apps WHERE name = ?")) {
            query.setString(1, name);
            try (java.sql.ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("No app " + name);
                }
                return row.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public Laambda laambda() {
        return laambda;
    }

    @Override
    public int sshPort() {
        return laambda.sshPort();
    }

    @Override
    public TestApi admin() {
        return new TestApi(url(), adminToken);
    }

    public TestApi as(String token) {
        return new TestApi(url(), token);
    }

    /** Creates a user through the API and returns a client holding that user's token. */
    public TestApi newUser(String email) {
        TestApi.Response created = admin().post("/api/v1/users", "{\"email\":\"" + email + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("Could not create user " + email + ": " + created.body());
        }
        return as(created.json().get("token").asText());
    }

    @Override
    public void close() {
        if (!closed.getAndSet(true)) {
            laambda.close();
        }
    }
}
