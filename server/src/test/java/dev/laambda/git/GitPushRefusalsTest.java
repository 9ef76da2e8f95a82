package dev.laambda.git;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad push gets one clear `remote: !` line, a rejected push, and nothing stored changes. */
class GitPushRefusalsTest {

    private static TestServer server;
    private static TestApi api;
    private static TestGit developer;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.admin();
        developer = TestGit.newDeveloper();
        assertEquals(201, api.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", developer.publicKey()))).status());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aKeyNobodyAddedIsRefusedWithItsFingerprint() {
        TestGit stranger = TestGit.newDeveloper();
        createApp("guarded");
        Path repo = stranger.newRepo(GitPushTest.THUMBS_APP);
        TestGit.Result push = stranger.git(repo, "push", url("guarded"), "main");
        assertRefused(push, "remote: !     Unknown SSH key SHA256:");
        assertTrue(push.output().contains("laambda keys:add"), push.output());
        assertUnchanged("guarded", 1);
    }

    @Test
    void aKnownKeyWithoutAccessToTheAppIsRefused() {
        TestGit other = TestGit.newDeveloper();
        TestApi otherUser = server.newUser("other@example.com");
        assertEquals(201, otherUser.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", other.publicKey()))).status());
        createApp("private-app");
        Path repo = other.newRepo(GitPushTest.THUMBS_APP);
        TestGit.Result push = other.git(repo, "push", url("private-app"), "main");
        assertRefused(push, "remote: !     You do not have access to app 'private-app'.");
        assertUnchanged("private-app", 1);
        Path packs = server.dataDir().resolve("repos/" + server.appId("private-app") + ".git/objects/pack");
        assertFalse(Files.exists(packs) && listsAnyPack(packs), "nothing is written");
    }

    @Test
    void pushingToAnAppThatDoesNotExistIsRefused() {
        Path repo = developer.newRepo(GitPushTest.THUMBS_APP);
        TestGit.Result push = developer.git(repo, "push", url("no-such-app"), "main");
        assertRefused(push, "remote: !     App 'no-such-app' not found");
        assertFalse(Files.exists(server.dataDir().resolve("repos/no-such-app.git")));
    }

    @Test
    void anAppWithoutAProcfileIsRefused() {
        assertPushRefused("no-procfile", Map.of("handler_module.py", "def handler(e, c):\n    return 1\n"),
                "remote: !     No Procfile found: add one, e.g. \"web: app.handler\"");
    }

    @Test
    void malformedProcfilesAreRefusedWithTheLineToFix() {
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            tooMany.append("f").append(i).append(": app.handler\n");
        }
        Map<String, String> cases = Map.of(
                "Web: app.handler\n", "Procfile line 1: ",
                "web: app.handler\nweb: other.handler\n", "Procfile line 2: ",
                "web:\n", "Procfile line 1: ",
                tooMany.toString(), "21",
                "\u0000\u0001\u0002garbage\u0000", "Procfile is not text");
        createApp("bad-procfiles");
        int attempt = 0;
        for (Map.Entry<String, String> procfile : cases.entrySet()) {
            Path repo = developer.newRepo(withProcfile(procfile.getKey()));
            TestGit.Result push = developer.git(repo, "push", "--force", url("bad-procfiles"), "main");
            assertRefused(push, "remote: !     ");
            assertTrue(push.output().contains(procfile.getValue()), "case " + (attempt++) + ": " + push.output());
        }
        assertUnchanged("bad-procfiles", 1);
    }

    @Test
    void anAppNoBuildpackRecognisesIsRefused() {
        assertPushRefused("unknown-lang", Map.of("README.md", "# nothing to build\n", "Procfile", "web: app.handler\n"),
                "remote: !     No buildpack detected this app");
    }

    @Test
    void aRequirementThatDoesNotExistFailsTheBuildAndShowsPipsError() {
        Map<String, String> files = new HashMap<>(GitPushTest.THUMBS_APP);
        files.put("requirements.txt", "laambda-no-such-package-xyz==1.0\n");
        TestGit.Result push = assertPushRefused("bad-deps", files, "remote: !     Build failed");
        assertTrue(push.output().contains("laambda-no-such-package-xyz"), push.output());
    }

    @Test
    void anArtifactOverLambdasUnzippedLimitIsRefusedWithItsSize() throws Exception {
        createApp("too-big");
        Path repo = developer.newRepo(GitPushTest.THUMBS_APP);
        try (var file = new java.io.RandomAccessFile(repo.resolve("zeros.bin").toFile(), "rw")) {
            file.setLength(251L * 1024 * 1024);
        }
        developer.writeAndCommit(repo, Map.of(), "251 MiB of zeros");
        TestGit.Result push = developer.git(repo, "push", url("too-big"), "main");
        assertRefused(push, "remote: !     Artifact is ");
        assertTrue(push.output().contains("MB unzipped; Lambda allows 250 MB"), push.output());
        assertUnchanged("too-big", 1);
    }

    @Test
    void treeEntriesLikeDotDotOrDotGitAreRefusedNamingThePathAndNothingIsStored() {
        createApp("bad-paths");
        Path repo = developer.newRepo(GitPushTest.THUMBS_APP);
        Map<String, String> badEntries = Map.of(
                "..", "'..'",           // ../x once checked out
                "lib/.git", "'lib/.git'",
                ".GIT", "'.GIT'");
        for (Map.Entry<String, String> bad : badEntries.entrySet()) {
            String commit = commitWithTreeEntry(repo, bad.getKey());
            String[] log = new String[1];
            TestGit.Result push = withServerLog(log, () -> developer.git(repo, "push", "--force", url("bad-paths"),
                    commit + ":refs/heads/main"));
            assertRefused(push, "remote: !     Push rejected: the path " + bad.getValue()
                    + " may not be in a git tree (no '.', '..' or '.git' parts): remove it from the pushed history");
            assertFalse(push.output().contains("server failed"), push.output());
            assertTrue(log[0].contains("event=push_rejected app=bad-paths reason=forbidden_path"), log[0]);
            assertFalse(log[0].contains("ERROR"), log[0]);
            assertFalse(serverHas("bad-paths", commit), "the refused commit is not stored");
        }
        assertUnchanged("bad-paths", 1);
    }

    @Test
    void aPushThatWouldMakeTheRepositoryLargerThanItsLimitIsRefusedAndLeavesNothing() throws Exception {
        try (TestServer limited = TestServer.start(Map.of("LAAMBDA_REPO_LIMIT", "1m"))) {
            TestApi admin = limited.admin();
            assertEquals(201, admin.post("/api/v1/keys", GitPushTest.json(Map.of("public_key", developer.publicKey())))
                    .status());
            assertEquals(201, admin.post("/api/v1/apps", GitPushTest.json(Map.of("name", "small"))).status());
            String url = "ssh://git@127.0.0.1:" + limited.laambda().sshPort() + "/small.git";
            Path repo = developer.newRepo(GitPushTest.THUMBS_APP);
            TestGit.Result first = developer.git(repo, "push", url, "main");
            assertTrue(first.ok(), first.output());
            Path serverRepo = limited.dataDir().resolve("repos/" + limited.appId("small") + ".git");
            String before = countObjects(serverRepo);

            byte[] noise = new byte[2 << 20];
            new java.util.Random(12).nextBytes(noise);
            Files.write(repo.resolve("noise.bin"), noise);
            developer.writeAndCommit(repo, Map.of(), "2 MB that does not compress");
            TestGit.Result push = developer.git(repo, "push", url, "main");

            assertRefused(push, "remote: !     This push would make the app's repository larger than its limit of 1 MB"
                    + " (LAAMBDA_REPO_LIMIT)");
            assertEquals(before, countObjects(serverRepo), "the repository is unchanged");
            assertEquals(2, admin.get("/api/v1/apps/small").json().get("current_release").asInt());
        }
    }

    @Test
    void anSshCommandOtherThanGitsIsRefusedInOneLine() {
        TestGit.Result ls = developer.ssh(server.laambda().sshPort(), "ls", "/");
        assertNotEquals(0, ls.exitCode());
        assertTrue(ls.output().contains("Laambda only speaks git over SSH"), ls.output());
    }

    @Test
    void anInteractiveShellIsRefused() {
        TestGit.Result shell = developer.ssh(server.laambda().sshPort());
        assertNotEquals(0, shell.exitCode());
        assertTrue(shell.output().contains("Laambda has no shell"), shell.output());
    }

    @Test
    void anAppPathWithDotDotIsRefused() {
        Path repo = developer.newRepo(GitPushTest.THUMBS_APP);
        TestGit.Result push = developer.git(repo, "push",
                "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/../escape.git", "main");
        assertNotEquals(0, push.exitCode());
        assertTrue(push.output().contains("is not an app name"), push.output());
        assertFalse(Files.exists(server.dataDir().resolve("escape.git")));
    }

    private TestGit.Result assertPushRefused(String app, Map<String, String> files, String expected) {
        createApp(app);
        Path repo = developer.newRepo(files);
        TestGit.Result push = developer.git(repo, "push", url(app), "main");
        assertRefused(push, expected);
        assertUnchanged(app, 1);
        return push;
    }

    private static void assertRefused(TestGit.Result push, String expected) {
        assertNotEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains(expected), "expected '" + expected + "' in:\n" + push.output());
    }

    private static void assertUnchanged(String app, int currentVersion) {
        JsonNode info = api.get("/api/v1/apps/" + app).json();
        assertEquals(currentVersion, info.get("current_release").asInt());
        assertEquals(currentVersion, api.get("/api/v1/apps/" + app + "/releases").json().size());
    }

    private static void createApp(String name) {
        assertEquals(201, api.post("/api/v1/apps", GitPushTest.json(Map.of("name", name))).status());
    }

    private static Map<String, String> withProcfile(String procfile) {
        Map<String, String> files = new HashMap<>(GitPushTest.THUMBS_APP);
        files.put("Procfile", procfile);
        return files;
    }

    private static String url(String app) {
        return "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/" + app + ".git";
    }

    /** A commit of HEAD's tree plus one crafted entry at {@code path} (a tree holding one file), as git mktree allows. */
    private static String commitWithTreeEntry(Path repo, String path) {
        String blob = TestGit.require(developer.gitWithInput(repo, "x\n", "hash-object", "-w", "--stdin")).output().trim();
        String tree = TestGit.require(developer.gitWithInput(repo, "100644 blob " + blob + "\tx\n", "mktree")).output().trim();
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 1; i--) {
            tree = TestGit.require(developer.gitWithInput(repo, "040000 tree " + tree + "\t" + parts[i] + "\n", "mktree"))
                    .output().trim();
        }
        String root = TestGit.require(developer.git(repo, "ls-tree", "HEAD")).output()
                + "040000 tree " + tree + "\t" + parts[0] + "\n";
        String rootTree = TestGit.require(developer.gitWithInput(repo, root, "mktree")).output().trim();
        return TestGit.require(developer.git(repo, "commit-tree", rootTree, "-p", "HEAD", "-m", "adds " + path))
                .output().trim();
    }

    private static boolean serverHas(String app, String object) {
        return developer.git(server.dataDir(), "--git-dir=" + server.dataDir().resolve("repos/" + server.appId(app) + ".git"),
                "cat-file", "-e", object).ok();
    }

    private static String countObjects(Path bareRepo) {
        return TestGit.require(developer.git(bareRepo, "--git-dir=" + bareRepo, "count-objects", "-v")).output();
    }

    /** Runs {@code action} and puts what the server logged meanwhile (its log goes to stderr) in {@code log[0]}. */
    private static <T> T withServerLog(String[] log, java.util.function.Supplier<T> action) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setErr(original);
            log[0] = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
            original.print(log[0]);
        }
    }

    private static boolean listsAnyPack(Path dir) {
        try (var files = Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
