package dev.laambda.cli;

import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI jar as a person uses it, against a real server with a real PostgreSQL. */
class CliEndToEndIT {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createConfigureReleaseAndRollBackAsInTheTour() throws Exception {
        Path home = Files.createTempDirectory("cli-home");
        CliJar laambda = new CliJar(home, Map.of());
        Path here = home;

        ok(laambda.run(here, "login", "--server", server.url(), "--token", server.adminToken()), "Logged in as admin@localhost");
        ok(laambda.run(here, "apps:create", "demo"), "Creating demo... done, v1");
        ok(laambda.run(here, "config:set", "A=1", "B=2", "-a", "demo"), "done, v2");
        ok(laambda.run(here, "config:unset", "A", "-a", "demo"), "done, v3");
        CliJar.Result releases = ok(laambda.run(here, "releases", "-a", "demo"), "=== demo Releases - Current: v3");
        List<String> rows = releases.out().lines().skip(1).toList();
        assertEquals(3, rows.size(), releases.out());
        assertTrue(rows.get(0).matches("v3 +Remove A config var +admin@localhost +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ +\\(current\\)"),
                rows.get(0));
        assertTrue(rows.get(2).startsWith("v1  Initial release"), rows.get(2));

        ok(laambda.run(here, "rollback", "v2", "-a", "demo"), "Rolling back demo to v2... done, v4");
        CliJar.Result config = ok(laambda.run(here, "config", "-a", "demo"), "=== demo Config Vars");
        assertTrue(config.out().contains("A: 1") && config.out().contains("B: 2"), config.out());
        ok(laambda.run(here, "releases", "-a", "demo"), "v4  Rollback to v2");
        CliJar.Result json = ok(laambda.run(here, "releases", "--json", "-a", "demo"), "\"rolled_back_from\": 2");
        assertTrue(json.out().trim().startsWith("["), json.out());

        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve(".laambda/config.json"))));
        assertFalse(Files.readString(home.resolve(".laambda/config.json")).isBlank());
    }

    @Test
    void badInputExitsNonZeroWithOneLineAndChangesNothing() throws Exception {
        Path home = Files.createTempDirectory("cli-home");
        CliJar laambda = new CliJar(home, Map.of());
        refused(laambda.run(home, "apps"), "Not logged in");
        ok(laambda.run(home, "login", "--server", server.url(), "--token", server.adminToken()), "Logged in");
        ok(laambda.run(home, "apps:create", "strict"), "v1");

        refused(laambda.run(home, "apps:create", "Strict"), "App name 'Strict' is invalid");
        refused(laambda.run(home, "apps:create", "strict"), "already exists");
        refused(laambda.run(home, "apps:create", "x1", "--role", "not-an-arn"), "invalid role ARN 'not-an-arn'");
        refused(laambda.run(home, "apps:create", "x1", "--platform", "elsewhere"), "Platform 'elsewhere' is not one");
        refused(laambda.run(home, "apps:create", "x1", "--platform", "aws"), "An aws app needs an execution role");
        refused(laambda.run(home, "config:set", "AWS_REGION=x", "-a", "strict"), "reserved by the Lambda runtime");
        refused(laambda.run(home, "config:set", "bad-key=1", "-a", "strict"), "Config key 'bad-key' is invalid");
        refused(laambda.run(home, "config:set", "NOVALUE", "-a", "strict"), "KEY=VALUE");
        refused(laambda.run(home, "config:set", "BIG=" + "x".repeat(4100), "-a", "strict"), "Lambda allows 4096 bytes");
        refused(laambda.run(home, "rollback", "v42", "-a", "strict"), "has no release v42");
        refused(laambda.run(home, "resource:memory", "web", "64", "-a", "strict"), "Memory must be between 128 and 10240 MB");
        refused(laambda.run(home, "resource:timeout", "web", "30", "-a", "strict"), "No Procfile entry 'web'");
        refused(laambda.run(home, "apps:destroy", "strict"), "--confirm strict");
        refused(laambda.run(home, "apps:info", "-a", "nowhere"), "App 'nowhere' not found");
        refused(laambda.run(home, "config"), "No app specified");

        CliJar.Result releases = ok(laambda.run(home, "releases", "-a", "strict"), "Current: v1");
        assertEquals(1, releases.out().lines().skip(1).count(), "nothing was stored: " + releases.out());
        ok(laambda.run(home, "apps:destroy", "strict", "--confirm", "strict"), "done");
    }

    @Test
    void keysAppsCreateInARepoAndGitPushMakeOneFunctionPerProcfileEntry() throws Exception {
        TestGit developer = TestGit.newDeveloper();
        Path home = developer.home();
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519.pub"), developer.publicKey() + "\n");
        CliJar laambda = new CliJar(home, Map.of());
        ok(laambda.run(home, "login", "--server", server.url(), "--token", server.adminToken()), "Logged in");
        ok(laambda.run(home, "keys:add"), "SSH key... done, SHA256:");
        ok(laambda.run(home, "keys"), "SHA256:");

        Path repo = developer.newRepo(Map.of("CreateThumbnail.py", "def handler(event, context):\n    return event.get('width')\n",
                "ResizeThumbnail.py", "def handler(event, context):\n    return 2\n",
                "requirements.txt", "six==1.16.0\n",
                "Procfile", "create: CreateThumbnail.handler\nresize: ResizeThumbnail.handler\n"));
        ok(laambda.run(repo, "apps:create", "thumbs"), "Git remote laambda added");
        String remote = developer.git(repo, "config", "--get", "remote.laambda.url").output().trim();
        assertTrue(remote.endsWith("/thumbs.git"), remote);
        developer.git(repo, "remote", "set-url", "laambda", "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/thumbs.git");

        TestGit.Result push = developer.git(repo, "push", "laambda", "main");
        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("remote: -----> Released v2"), push.output());

        String sha = developer.headSha(repo).substring(0, 7);
        ok(laambda.run(repo, "releases"), "v2  Deploy " + sha);
        CliJar.Result functions = ok(laambda.run(repo, "functions"), "thumbs-create");
        assertTrue(functions.out().contains("thumbs-resize"), functions.out());
        assertTrue(functions.out().contains("STATE") && functions.out().contains("Active"), functions.out());
        CliJar.Result builds = ok(laambda.run(repo, "builds"), "succeeded");
        ok(laambda.run(repo, "builds:cache:clear"), "Build cache of thumbs cleared");
        String buildId = builds.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        ok(laambda.run(repo, "builds:info", buildId), "-----> Released v2");

        CliJar.Result invoked = ok(laambda.run(repo, "invoke", "create", "--data", "{\"width\":64}", "--log"), "64");
        assertTrue(invoked.err().contains("REPORT RequestId: "), invoked.both());
        Files.writeString(repo.resolve("event.json"), "{\"width\": 7}");
        ok(laambda.run(repo, "invoke", "create", "-d", "@event.json"), "7");
        refused(laambda.run(repo, "invoke", "nothing"), "has no Procfile entry 'nothing'");
    }

    private static CliJar.Result ok(CliJar.Result result, String expected) {
        assertEquals(0, result.exitCode(), result.both());
        assertTrue(result.out().contains(expected), "expected '" + expected + "' in:\n" + result.both());
        return result;
    }

    private static void refused(CliJar.Result result, String expected) {
        assertEquals(1, result.exitCode(), result.both());
        assertTrue(result.err().contains(expected), "expected '" + expected + "' in:\n" + result.both());
        List<String> lines = result.err().lines().filter(line -> !line.isBlank()).toList();
        assertTrue(lines.get(0).startsWith(" !    "), result.err());
        assertEquals(1, lines.stream().filter(line -> line.startsWith(" !    ")).count(), "one error line: " + result.err());
    }
}
