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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `git push laambda main` with the real git and OpenSSH clients against a real server. */
class GitPushTest {

    static final Map<String, String> THUMBS_APP = Map.of(
            "CreateThumbnail.py", "import six\n\ndef handler(event, context):\n    return {'created': event.get('width', 0)}\n",
            "ResizeThumbnail.py", "def handler(event, context):\n    return {'resized': True}\n",
            "requirements.txt", "six==1.16.0\n",
            "Procfile", "# the seed app\ncreate: CreateThumbnail.handler\nresize: ResizeThumbnail.handler\n");

    private static TestServer server;
    private static TestApi api;
    private static TestGit developer;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.admin();
        developer = TestGit.newDeveloper();
        JsonNode key = api.post("/api/v1/keys", json(Map.of("public_key", developer.publicKey()))).json();
        assertTrue(key.get("fingerprint").asText().startsWith("SHA256:"), key.toString());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void firstPushBuildsTheAppAndReleasesOneFunctionPerProcfileEntry() {
        Path repo = newApp("thumbs", THUMBS_APP);
        TestGit.Result push = push(repo);

        assertTrue(push.ok(), push.output());
        assertContainsInOrder(push.output(), "remote: -----> Python app detected", "remote: -----> Installing requirements",
                "remote: -----> Discovering process types: create, resize", "remote: -----> Compressed artifact: ",
                "remote: -----> Released v2");
        JsonNode release = api.get("/api/v1/apps/thumbs/releases/v2").json();
        assertEquals("deploy", release.get("kind").asText());
        String sha = developer.headSha(repo);
        assertEquals(sha, release.get("git_sha").asText());
        assertEquals("Deploy " + sha.substring(0, 7), release.get("description").asText());
        assertTrue(release.get("current").asBoolean());
        assertEquals(64, release.get("artifact_sha").asText().length());

        JsonNode formation = api.get("/api/v1/apps/thumbs/formation").json();
        assertEquals(List.of("thumbs-create", "thumbs-resize"), formation.findValuesAsText("function_name"));
        for (JsonNode entry : formation) {
            assertEquals(1024, entry.get("memory_mb").asInt());
            assertEquals(10, entry.get("timeout_s").asInt());
            assertEquals("python3.13", entry.get("runtime").asText());
        }
        JsonNode builds = api.get("/api/v1/apps/thumbs/builds").json();
        assertEquals("succeeded", builds.get(0).get("status").asText());
        String log = api.get("/api/v1/apps/thumbs/builds/" + builds.get(0).get("id").asLong()).json().get("log").asText();
        assertTrue(log.contains("-----> Released v2"), log);

        try (ZipFile artifact = new ZipFile(artifactFile(release.get("artifact_sha").asText()).toFile())) {
            assertTrue(artifact.getEntry("six.py") != null, "dependencies are installed at the artifact root");
            assertTrue(artifact.getEntry("CreateThumbnail.py") != null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void clearingTheBuildCacheEmptiesItAndTheNextPushStillBuilds() {
        Path repo = newApp("cached", THUMBS_APP);
        assertTrue(push(repo).ok());
        Path cache = server.dataDir().resolve("cache").resolve(Long.toString(server.appId("cached")));
        assertTrue(Files.isDirectory(cache.resolve("python")), "the Python buildpack's cache is kept between pushes");
        assertEquals(200, api.delete("/api/v1/apps/cached/build-cache").status());
        assertFalse(Files.exists(cache), "the build cache is gone");
        assertEquals(404, api.delete("/api/v1/apps/nobody/build-cache").status());
        developer.writeAndCommit(repo, Map.of("extra.py", "X = 1\n"), "change");
        TestGit.Result rebuilt = push(repo);
        assertTrue(rebuilt.ok(), rebuilt.output());
    }

    @Test
    void pushingTheSameSourceAgainReusesTheSameArtifact() {
        Path repo = newApp("same-twice", THUMBS_APP);
        assertTrue(push(repo).ok());
        developer.writeAndCommit(repo, Map.of(), "empty change");
        TestGit.Result second = push(repo);
        assertTrue(second.ok(), second.output());
        JsonNode releases = api.get("/api/v1/apps/same-twice/releases").json();
        String sha = releases.get(0).get("artifact_sha").asText();
        assertEquals(sha, releases.get(1).get("artifact_sha").asText(), "the same tree gives the same artifact");
        try (var stored = Files.list(artifactFile(sha).getParent())) {
            assertEquals(1, stored.filter(file -> file.getFileName().toString().startsWith(sha)).count(),
                    "stored once, no second copy");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSecondPushWithAChangedProcfileChangesTheFunctionsAndKeepsResourceSettings() {
        Path repo = newApp("reshape", THUMBS_APP);
        assertTrue(push(repo).ok());
        assertEquals(200, api.patch("/api/v1/apps/reshape/formation/create", "{\"memory_mb\":512}").status());

        developer.writeAndCommit(repo, Map.of("Procfile", "create: CreateThumbnail.handler\nthumb: ResizeThumbnail.handler\n"),
                "new entries");
        TestGit.Result push = push(repo);

        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("Discovering process types: create, thumb"), push.output());
        JsonNode formation = api.get("/api/v1/apps/reshape/formation").json();
        assertEquals(List.of("create", "thumb"), formation.findValuesAsText("entry"));
        assertEquals(512, formation.get(0).get("memory_mb").asInt(), "resource settings carry over to later deploys");
        assertEquals(1024, formation.get(1).get("memory_mb").asInt());
        assertEquals(4, api.get("/api/v1/apps/reshape").json().get("current_release").asInt());
    }

    @Test
    void aFailedPushIsRejectedAndLeavesTheCurrentReleaseTheBranchAndTheRepositoryUntouched() {
        Path repo = newApp("steady", THUMBS_APP);
        assertTrue(push(repo).ok());
        String deployedSha = developer.headSha(repo);
        String objectsBefore = countObjects("steady");

        developer.writeAndCommit(repo, Map.of("Procfile", "Web: app.handler\n"), "broken Procfile");
        TestGit.Result push = push(repo);
        String failedSha = developer.headSha(repo);

        assertNotEquals(0, push.exitCode());
        assertTrue(push.output().contains("remote: !     Procfile line 1: "), push.output());
        assertTrue(push.output().contains("[remote rejected]"), push.output());
        assertEquals(2, api.get("/api/v1/apps/steady").json().get("current_release").asInt());
        assertEquals(2, api.get("/api/v1/apps/steady/releases").json().size());
        String remoteMain = developer.git(repo, "ls-remote", "laambda", "refs/heads/main").output();
        assertTrue(remoteMain.startsWith(deployedSha), "the branch on the server is not moved: " + remoteMain);
        assertEquals("failed", api.get("/api/v1/apps/steady/builds").json().get(0).get("status").asText());
        assertFalse(serverHas("steady", failedSha), "the failed push's objects are pruned");
        assertEquals(objectsBefore, countObjects("steady"));

        developer.writeAndCommit(repo, Map.of("Procfile", "create: CreateThumbnail.handler\n"), "fixed");
        TestGit.Result fixed = push(repo);
        assertTrue(fixed.ok(), "the next push sends what the pruned one had: " + fixed.output());
        assertTrue(serverHas("steady", failedSha), "now part of the deployed history");
    }

    @Test
    void rollingBackToAnEarlierDeployReusesItsArtifactWithoutBuilding() {
        Path repo = newApp("backwards", THUMBS_APP);
        assertTrue(push(repo).ok());
        developer.writeAndCommit(repo, Map.of("ResizeThumbnail.py", "def handler(event, context):\n    return 2\n"), "v3");
        assertTrue(push(repo).ok());
        int buildsBefore = api.get("/api/v1/apps/backwards/builds").json().size();

        JsonNode rollback = api.post("/api/v1/apps/backwards/releases/v2/rollback", null).json();

        assertEquals(4, rollback.get("version").asInt());
        JsonNode v2 = api.get("/api/v1/apps/backwards/releases/v2").json();
        JsonNode v4 = api.get("/api/v1/apps/backwards/releases/v4").json();
        assertEquals(v2.get("artifact_sha"), v4.get("artifact_sha"));
        assertEquals(v2.get("git_sha"), v4.get("git_sha"));
        assertEquals(v2.get("formation"), v4.get("formation"));
        assertEquals(buildsBefore, api.get("/api/v1/apps/backwards/builds").json().size(), "no build for a rollback");
    }

    @Test
    void twoConcurrentPushesToOneAppAreSerialisedIntoContiguousReleases() throws Exception {
        Path first = newApp("racing", THUMBS_APP);
        Path second = developer.newRepo(Map.of("ResizeThumbnail.py", "def handler(event, context):\n    return 'other'\n",
                "Procfile", "resize: ResizeThumbnail.handler\n"));
        TestGit.require(developer.git(second, "remote", "add", "laambda", gitUrl("racing")));

        // Two unrelated histories: whichever lands second replaces the branch, as a forced push does on Heroku.
        CompletableFuture<TestGit.Result> a = CompletableFuture.supplyAsync(
                () -> developer.git(first, "push", "--force", "laambda", "main"));
        CompletableFuture<TestGit.Result> b = CompletableFuture.supplyAsync(
                () -> developer.git(second, "push", "--force", "laambda", "main"));
        assertTrue(a.get().ok(), a.get().output());
        assertTrue(b.get().ok(), b.get().output());

        JsonNode releases = api.get("/api/v1/apps/racing/releases").json();
        assertEquals(List.of("3", "2", "1"), releases.findValuesAsText("version"));
        for (JsonNode release : releases) {
            assertNotEquals("pending", release.get("status").asText());
        }
        String current = releases.get(0).get("git_sha").asText();
        String remoteMain = developer.git(first, "ls-remote", "laambda", "refs/heads/main").output();
        assertTrue(remoteMain.startsWith(current), "main on the server is the current release's commit: " + remoteMain);
    }

    @Test
    void pushesToOtherBranchesAreStoredButNotDeployed() {
        Path repo = newApp("branches", THUMBS_APP);
        TestGit.Result push = developer.git(repo, "push", "laambda", "main:feature");
        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("not deployed"), push.output());
        assertEquals(1, api.get("/api/v1/apps/branches").json().get("current_release").asInt());
        assertTrue(developer.git(repo, "ls-remote", "laambda").output().contains("refs/heads/feature"));
    }

    @Test
    void pushingMasterToAnAppThatDeploysMainStoresItWithoutDeploying() {
        Path repo = newApp("main-first", THUMBS_APP);
        assertTrue(push(repo).ok());
        String mainSha = developer.headSha(repo);
        developer.writeAndCommit(repo, Map.of("Procfile", "resize: ResizeThumbnail.handler\n"), "on master");

        TestGit.Result push = developer.git(repo, "push", "laambda", "HEAD:master");

        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("remote: -----> Branch master stored, not deployed: this app deploys main"),
                push.output());
        assertFalse(push.output().contains("Released"), push.output());
        assertEquals(2, api.get("/api/v1/apps/main-first").json().get("current_release").asInt());
        assertEquals(mainSha, api.get("/api/v1/apps/main-first/releases/v2").json().get("git_sha").asText());
        String remote = developer.git(repo, "ls-remote", "laambda").output();
        assertTrue(remote.contains(developer.headSha(repo) + "\trefs/heads/master"), remote);
        assertTrue(remote.contains(mainSha + "\trefs/heads/main"), remote);
    }

    @Test
    void anAppWithOnlyAMasterBranchDeploysMaster() {
        Path repo = newApp("master-only", THUMBS_APP);
        TestGit.Result push = developer.git(repo, "push", "laambda", "main:master");
        assertTrue(push.ok(), push.output());
        assertTrue(push.output().contains("remote: -----> Released v2"), push.output());
        assertEquals(developer.headSha(repo), api.get("/api/v1/apps/master-only/releases/v2").json().get("git_sha").asText());

        developer.writeAndCommit(repo, Map.of("extra.py", "X = 2\n"), "second");
        TestGit.Result second = developer.git(repo, "push", "laambda", "main:master");
        assertTrue(second.output().contains("remote: -----> Released v3"), second.output());

        Path clone = developer.home().resolve("clone-of-master-only");
        assertTrue(developer.git(developer.home(), "clone", gitUrl("master-only"), clone.toString()).ok());
        assertEquals(developer.headSha(repo), developer.headSha(clone), "a clone checks out the deployed master");
    }

    @Test
    void theOwnerCanCloneTheirAppsRepository() {
        Path repo = newApp("cloned", THUMBS_APP);
        assertTrue(push(repo).ok());
        Path target = developer.home().resolve("clone-of-cloned");
        TestGit.Result clone = developer.git(developer.home(), "clone", gitUrl("cloned"), target.toString());
        assertTrue(clone.ok(), clone.output());
        assertEquals(developer.headSha(repo), developer.headSha(target));
    }

    @Test
    void aSymlinkPointingOutsideTheRepoIsNotFollowedIntoTheArtifact() throws Exception {
        Path repo = newApp("linky", THUMBS_APP);
        Files.createSymbolicLink(repo.resolve("passwd"), Path.of("/etc/passwd"));
        developer.writeAndCommit(repo, Map.of(), "add a symlink to /etc/passwd");
        TestGit.Result push = push(repo);
        assertTrue(push.output().contains("skipping symlink passwd -> /etc/passwd"), push.output());
        JsonNode release = api.get("/api/v1/apps/linky/releases/v2").json();
        try (ZipFile artifact = new ZipFile(artifactFile(release.get("artifact_sha").asText()).toFile())) {
            assertEquals(null, artifact.getEntry("passwd"));
        }
    }

    Path newApp(String name, Map<String, String> files) {
        assertEquals(201, api.post("/api/v1/apps", json(Map.of("name", name))).status());
        Path repo = developer.newRepo(files);
        TestGit.require(developer.git(repo, "remote", "add", "laambda", gitUrl(name)));
        return repo;
    }

    TestGit.Result push(Path repo) {
        return developer.git(repo, "push", "laambda", "main");
    }

    /** Whether the app's repository on the server holds {@code object}. */
    static boolean serverHas(String app, String object) {
        return developer.git(server.dataDir(), "--git-dir=" + serverRepo(app), "cat-file", "-e", object).ok();
    }

    static String countObjects(String app) {
        return TestGit.require(developer.git(server.dataDir(), "--git-dir=" + serverRepo(app), "count-objects", "-v"))
                .output();
    }

    static Path serverRepo(String app) {
        return server.dataDir().resolve("repos").resolve(server.appId(app) + ".git");
    }

    static String gitUrl(String app) {
        return "ssh://git@127.0.0.1:" + server.laambda().sshPort() + "/" + app + ".git";
    }

    static Path artifactFile(String sha) {
        return server.dataDir().resolve("artifacts").resolve(sha.substring(0, 2)).resolve(sha + ".zip");
    }

    static void assertContainsInOrder(String text, String... parts) {
        int from = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            assertTrue(at >= 0, "expected '" + part + "' after position " + from + " in:\n" + text);
            from = at + part.length();
        }
    }

    static String json(Map<String, String> fields) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(new HashMap<>(fields));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
