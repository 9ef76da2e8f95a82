package dev.laambda;

import dev.laambda.testing.TestApi;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server as a new user runs it: no settings, embedded PostgreSQL, everything under the data directory. */
class LaambdaServerTest {

    private static final Pattern TOKEN = Pattern.compile("lmb_[A-Za-z0-9_-]+");

    @Test
    void withNoDatabaseUrlTheServerRunsItsOwnPostgresAndKeepsEverythingAcrossRestarts() throws Exception {
        Path data = Files.createTempDirectory("laambda-embedded");
        Map<String, String> env = Map.of("LAAMBDA_DATA", data.toString(), "LAAMBDA_HTTP_PORT", "0",
                "LAAMBDA_HTTP_HOST", "127.0.0.1", "LAAMBDA_SSH_PORT", "0");

        ByteArrayOutputStream firstConsole = new ByteArrayOutputStream();
        String token;
        try (Laambda server = Laambda.start(ServerConfig.fromEnvironment(env), new PrintStream(firstConsole, true))) {
            Matcher printed = TOKEN.matcher(firstConsole.toString(StandardCharsets.UTF_8));
            assertTrue(printed.find(), "the first start prints the admin token: " + firstConsole);
            token = printed.group();
            TestApi admin = new TestApi("http://127.0.0.1:" + server.httpPort(), token);
            assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"keeper\"}").status());
            assertDurable(data);
            assertEquals(200, admin.patch("/api/v1/apps/keeper/config", "{\"KEPT\":\"yes\"}").status());
        }

        assertTrue(Files.isDirectory(data.resolve("postgres")), "PostgreSQL data lives in the data directory");
        Path keyFile = data.resolve("master.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        Path postgresPassword = data.resolve("postgres.password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(postgresPassword)),
                "the embedded PostgreSQL's password is kept beside the master key, as private");

        ByteArrayOutputStream secondConsole = new ByteArrayOutputStream();
        try (Laambda server = Laambda.start(ServerConfig.fromEnvironment(env), new PrintStream(secondConsole, true))) {
            assertFalse(TOKEN.matcher(secondConsole.toString(StandardCharsets.UTF_8)).find(),
                    "a restart creates no second admin: " + secondConsole);
            TestApi admin = new TestApi("http://127.0.0.1:" + server.httpPort(), token);
            assertEquals("yes", admin.get("/api/v1/apps/keeper/config").json().get("KEPT").asText());
            assertEquals(2, admin.get("/api/v1/apps/keeper").json().get("current_release").asInt());
        }
    }

    /** The embedded PostgreSQL keeps every acknowledged release: fsync and synchronous commit are on. */
    private static void assertDurable(Path data) throws Exception {
        String pid = Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(0).trim();
        String commandLine = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
        assertTrue(commandLine.contains("-c fsync=on") && commandLine.contains("-c synchronous_commit=on"), commandLine);
        assertTrue(commandLine.lastIndexOf("fsync=on") > commandLine.lastIndexOf(" -F "), commandLine);
    }

    @Test
    void adminCreatePrintsANewAdminsTokenOnce() throws Exception {
        Path data = Files.createTempDirectory("laambda-admin");
        Map<String, String> env = Map.of("LAAMBDA_DATA", data.toString(), "LAAMBDA_HTTP_PORT", "0",
                "LAAMBDA_HTTP_HOST", "127.0.0.1", "LAAMBDA_SSH_PORT", "0",
                "DATABASE_URL", dev.laambda.testing.TestPostgres.newDatabaseUrl());
        ServerConfig config = ServerConfig.fromEnvironment(env);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Laambda.createAdmin(config, "ops@example.com", new PrintStream(out, true));
        Matcher printed = TOKEN.matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(printed.find(), out.toString());

        try (Laambda server = Laambda.start(config, new PrintStream(new ByteArrayOutputStream()))) {
            TestApi ops = new TestApi("http://127.0.0.1:" + server.httpPort(), printed.group());
            var me = ops.get("/api/v1/user").json();
            assertEquals("ops@example.com", me.get("email").asText());
            assertTrue(me.get("is_admin").asBoolean());
            assertNotNull(me.get("created_at"));
        }
    }
}
