package dev.laambda.release;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destroying an app removes everything it kept, and a later app of the same name starts empty: its data is
 * keyed by the app's id, never its name. An older version's name-keyed data moves to the id at start.
 */
class AppDestroyTest {

    /** A Python app whose build fills the build cache (pip's cache and the installed tree). */
    private static final Map<String, String> CACHED_APP = Map.of(
            "app.py", "import six\n\ndef handler(event, context):\n    return {'old': True}\n",
            "requirements.txt", "six==1.16.0\n",
            "Procfile", "fn: app.handler\n");

    private static TestServer server;
    private static TestApi admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aNewAppUnderADestroyedAppsNameStartsWithNoCacheNoHistoryAndNoCode() throws Exception {
        TestApp old = TestApp.create(server, "reuse", CACHED_APP);
        old.pushAccepted();
        old.commit(Map.of("extra.py", "X = 1\n"), "second");
        assertTrue(old.pushAccepted().contains("-----> Using cached dependencies (requirements unchanged)"),
                "the old app's second push used its cache");
        assertEquals(200, admin.post("/api/v1/apps/reuse/functions/fn/invoke", "{}").status());
        long oldId = server.appId("reuse");
        List<Path> kept = List.of(data("repos/" + oldId + ".git"), data("cache/" + oldId), data("functions/" + oldId),
                data("workspaces/" + oldId));
        kept.forEach(dir -> assertTrue(Files.isDirectory(dir), dir + " held the old app's data"));

        List<Path> artifacts = new java.util.ArrayList<>();
        admin.get("/api/v1/apps/reuse/releases").json().forEach(release -> {
            if (release.hasNonNull("artifact_sha")) {
                String sha = release.get("artifact_sha").asText();
                artifacts.add(data("artifacts/" + sha.substring(0, 2) + "/" + sha + ".zip"));
            }
        });
        assertEquals(2, artifacts.stream().distinct().count(), "two pushes, two artifacts");
        artifacts.forEach(file -> assertTrue(Files.isRegularFile(file), file + " held the old app's code"));

        assertTrue(logLinesOf(oldId) > 0, "the old app's pushes and invocation are in its log stream");
        assertEquals(200, admin.delete("/api/v1/apps/reuse?confirm=reuse").status());
        assertEquals(0, logLinesOf(oldId), "the old app's log lines went with it");
        kept.forEach(dir -> assertFalse(Files.exists(dir), dir + " went with the app"));
        artifacts.forEach(file -> assertFalse(Files.exists(file), file + " went with the app: no other app runs it"));

        TestApp reborn = TestApp.create(server, "reuse", Map.of(
                "app.py", "import six\n\ndef handler(event, context):\n    return {'new': True}\n",
                "requirements.txt", "six==1.16.0\n",
                "Procfile", "fn: app.handler\n"));
        assertNotEquals(oldId, server.appId("reuse"));
        Path clone = reborn.repo().resolveSibling("reuse-clone");
        TestGit.Result cloned = reborn.developer().git(reborn.repo().getParent(), "clone",
                "ssh://git@127.0.0.1:" + server.sshPort() + "/reuse.git", clone.toString());
        assertTrue(cloned.ok(), cloned.output());
        assertFalse(reborn.developer().git(clone, "rev-parse", "--verify", "HEAD").ok(), "no commit of the old app");
        TestApi.Response invoke = admin.post("/api/v1/apps/reuse/functions/fn/invoke", "{}");
        assertEquals("not_deployed", invoke.errorCode(), "no code of the old app runs: " + invoke.body());

        String firstPush = reborn.pushAccepted();
        assertTrue(firstPush.contains("-----> Installing requirements"), firstPush);
        assertFalse(firstPush.matches("(?s).*Using [^\\n]*cache.*"), "the cache starts empty: " + firstPush);
        assertEquals("{\"new\":true}", admin.post("/api/v1/apps/reuse/functions/fn/invoke", "{}").body().replace(" ", ""));
    }

    /** The app's rows in log_lines, read from the database itself (the API shows only live apps' lines). */
    private static long logLinesOf(long appId) throws java.sql.SQLException, InterruptedException {
        dev.laambda.store.JdbcTarget target = dev.laambda.store.JdbcTarget.fromDatabaseUrl(server.databaseUrl());
        Thread.sleep(200); // lines are stored a moment after they happen
        try (var connection = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             var query = connection.prepareStatement("SELECT count(*) FROM log_lines WHERE app_id = ?")) {
            query.setLong(1, appId);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void appNamesEndingInADashOrHoldingTwoDashesAreRefused() {
        for (String name : List.of("trailing-", "two--dashes", "-lead", "Upper", "a")) {
            TestApi.Response refused = admin.post("/api/v1/apps", "{\"name\":\"" + name + "\"}");
            assertEquals(400, refused.status(), name);
            assertEquals("invalid_app_name", refused.errorCode());
            assertEquals("App name '" + name + "' is invalid: use 2-30 lowercase letters, digits and single dashes, "
                    + "starting with a letter and ending with a letter or digit.", refused.errorMessage());
        }
        assertFalse(admin.get("/api/v1/apps").body().contains("dash"), "nothing was created");
        assertEquals(201, admin.post("/api/v1/apps", "{\"name\":\"single-dash-9\"}").status());
    }

    @Test
    void anOlderVersionsNameKeyedDataMovesToTheAppsIdAtStartAndThatOfGoneAppsIsRemoved() throws Exception {
        TestApp legacy = TestApp.create(server, "legacy", CACHED_APP);
        legacy.pushAccepted();
        String pushed = legacy.developer().headSha(legacy.repo());
        long id = server.appId("legacy");
        // The layout an older version left: keyed by name, and things of apps long gone.
        Files.move(data("repos/" + id + ".git"), data("repos/legacy.git"));
        Files.move(data("cache/" + id), data("cache/legacy"));
        Files.createDirectories(data("repos/gone-app.git/objects"));
        Files.createDirectories(data("cache/gone-app/python"));
        Files.createDirectories(data("cache/987654/python"));
        Files.createDirectories(data("workspaces/build-12/src"));
        Files.createDirectories(data("functions/" + "ab".repeat(32)));
        Files.writeString(data("cache/NOTES.txt"), "not an app's: left alone\n");

        String log = serverLog(() -> server = server.restart(Map.of()));
        admin = server.admin();

        assertTrue(log.contains("event=app_data_migrated kind=repo app=legacy app_id=" + id), log);
        assertTrue(log.contains("event=app_data_migrated kind=build_cache app=legacy app_id=" + id), log);
        assertTrue(log.contains("event=app_data_removed kind=build_cache count=2"), log);
        for (String gone : List.of("repos/legacy.git", "cache/legacy", "repos/gone-app.git", "cache/gone-app",
                "cache/987654", "workspaces/build-12", "functions/" + "ab".repeat(32))) {
            assertFalse(Files.exists(data(gone)), gone + " is gone");
        }
        assertTrue(Files.exists(data("cache/NOTES.txt")));
        Path clone = legacy.repo().resolveSibling("legacy-clone");
        assertTrue(legacy.developer().git(legacy.repo().getParent(), "clone",
                "ssh://git@127.0.0.1:" + server.sshPort() + "/legacy.git", clone.toString()).ok());
        assertEquals(pushed, legacy.developer().headSha(clone), "the app kept its history");
        legacy.commit(Map.of("extra.py", "X = 1\n"), "after the upgrade");
        TestGit.Result push = legacy.developer().git(legacy.repo(), "push", "ssh://git@127.0.0.1:" + server.sshPort()
                + "/legacy.git", "main");
        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("-----> Using cached dependencies (requirements unchanged)"),
                "the app kept its build cache: " + push.output());
    }

    private static Path data(String relative) {
        return server.dataDir().resolve(relative);
    }

    /** What the server logged (its log goes to stderr) while {@code action} ran. */
    private static String serverLog(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
            return captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
