package dev.laambda;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import dev.laambda.testing.TwoServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers on one database and one S3 bucket, each with its own data directory: what one server learnt about an
 * app (its repository, its build cache) is in the bucket under the app's id, so the other carries on from it instead
 * of starting from nothing, and destroying the app leaves nothing of it there.
 */
class SharedBuildStateTest {

    private static final String BUCKET = "laambda-build-state";
    private static TwoServers servers;
    private static S3Client s3;
    private static TestServer serverA;
    private static TestServer serverB;

    private static Map<String, String> files(String greeting) {
        return Map.of("app.py", """
                def handler(event, context):
                    return {"greeting": "%s"}
                """.formatted(greeting), "requirements.txt", "", "Procfile", "web: app.handler\n");
    }

    @BeforeAll
    static void startTwoServersOnOneDatabaseAndBucket() {
        // Builds in build containers, as the build user, as servers run them: a cache restored from the bucket
        // must be usable there.
        servers = TwoServers.start(BUCKET, Map.of(ServerConfig.BUILDER, "docker"));
        serverA = servers.a();
        serverB = servers.b();
        s3 = servers.s3();
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aServerThatNeverSawTheAppTakesItsRepositoryAndBuildCacheFromTheBucketAndBuildsTheNextPushWarm() {
        TestApp app = TestApp.create(serverA, "relay", files("from-a"));
        app.pushAccepted();
        long id = serverA.appId("relay");
        assertTrue(objects().containsAll(List.of("apps/" + id + "/cache/python.tar.gz", "apps/" + id + "/repo.bundle")),
                "the cache and the repository are in the bucket under the app's id: " + objects());
        String firstCommit = head(app);
        Path repoOnB = serverB.dataDir().resolve("repos").resolve(id + ".git");
        assertFalse(Files.exists(repoOnB), "B never saw the app's repository");

        TestGit.Result listed = app.developer().git(app.repo(), "ls-remote", remoteOn(serverB, "relay"), "refs/heads/main");
        assertTrue(listed.ok() && listed.output().contains(firstCommit + "\trefs/heads/main"),
                "B serves the commit pushed through A, fetched from the bundle: " + listed.output());

        app.commit(files("from-b"), "second, through B");
        TestGit.Result pushed = app.developer().git(app.repo(), "push", remoteOn(serverB, "relay"), "main");
        assertTrue(pushed.ok(), pushed.output());
        assertTrue(pushed.output().contains("Restored the build cache from the shared bucket"), pushed.output());
        assertTrue(pushed.output().contains("Using cached dependencies (requirements unchanged)"),
                "the build on B used what A's build cached: " + pushed.output());
        assertEquals("from-b", greeting(serverA, "relay"));
    }

    @Test
    void aCacheInTheBucketThatIsNotAnArchiveIsSkippedTheBuildRunsColdAndSavesAGoodOne() {
        TestApp app = TestApp.create(serverA, "mangled", files("one"));
        app.pushAccepted();
        String key = "apps/" + serverA.appId("mangled") + "/cache/python.tar.gz";
        s3.putObject(put -> put.bucket(BUCKET).key(key), RequestBody.fromString("not a tar.gz"));

        app.commit(files("two"), "second, through B");
        TestGit.Result pushed = app.developer().git(app.repo(), "push", remoteOn(serverB, "mangled"), "main");

        assertTrue(pushed.ok(), "a cache that cannot be restored never fails the build: " + pushed.output());
        assertFalse(pushed.output().contains("Restored the build cache"), pushed.output());
        assertEquals("two", greeting(serverB, "mangled"));
        byte[] saved = s3.getObjectAsBytes(get -> get.bucket(BUCKET).key(key)).asByteArray();
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, java.util.Arrays.copyOf(saved, 2), "B saved a gzip in its place");
    }

    @Test
    void clearingTheBuildCacheThroughOneServerClearsItInTheBucketAndTheOtherBuildsCold() {
        TestApp app = TestApp.create(serverA, "purged", files("one"));
        app.pushAccepted();
        long id = serverA.appId("purged");
        app.commit(files("two"), "second, through B");
        assertTrue(app.developer().git(app.repo(), "push", remoteOn(serverB, "purged"), "main").ok(), "B built it once");

        assertEquals(200, serverA.admin().delete("/api/v1/apps/purged/build-cache").status());
        assertFalse(objects().contains("apps/" + id + "/cache/python.tar.gz"), objects().toString());

        app.commit(files("three"), "third, through B");
        TestGit.Result pushed = app.developer().git(app.repo(), "push", remoteOn(serverB, "purged"), "main");
        assertTrue(pushed.ok(), pushed.output());
        assertFalse(pushed.output().contains("Using cached dependencies"), "B dropped its copy too: " + pushed.output());
    }

    @Test
    void destroyingAnAppLeavesNothingUnderItsIdInTheBucket() {
        TestApp.create(serverA, "doomed", files("doomed")).pushAccepted();
        long id = serverA.appId("doomed");
        assertFalse(objectsUnder("apps/" + id + "/").isEmpty(), objects().toString());

        assertEquals(200, serverB.admin().delete("/api/v1/apps/doomed?confirm=doomed").status());

        assertEquals(List.of(), objectsUnder("apps/" + id + "/"));
    }

    private static String remoteOn(TestServer server, String app) {
        return "ssh://git@127.0.0.1:" + server.sshPort() + "/" + app + ".git";
    }

    private static String head(TestApp app) {
        return app.developer().git(app.repo(), "rev-parse", "HEAD").output().strip();
    }

    private static String greeting(TestServer server, String app) {
        TestApi.Response invoked = server.admin().post("/api/v1/apps/" + app + "/functions/web/invoke", "{}");
        assertEquals(200, invoked.status(), invoked.body());
        return invoked.json().get("greeting").asText();
    }

    private static List<String> objects() {
        return objectsUnder("");
    }

    private static List<String> objectsUnder(String prefix) {
        return s3.listObjectsV2(list -> list.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key)
                .sorted().toList();
    }
}
