package dev.laambda;

import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestServer;
import dev.laambda.testing.TwoServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers on one database and one S3 bucket, as behind a load balancer: code pushed through one runs on the
 * other, which downloads the artifact; config changed through one is what the other runs; destroying an app deletes
 * its artifacts from the bucket unless another app's releases still run them.
 */
class SeveralServersTest {

    private static final String BUCKET = "laambda-shared";
    /** The app's code; {@code variant} makes an artifact of its own (identical code gives one artifact). */
    private static Map<String, String> files(String variant) {
        return Map.of("app.py", "# " + variant + """

                import os
                def handler(event, context):
                    return {"greeting": os.environ.get("GREETING", "none")}
                """, "requirements.txt", "", "Procfile", "web: app.handler\n");
    }
    private static TwoServers servers;
    private static S3Client s3;
    private static TestServer serverA;
    private static TestServer serverB;

    @BeforeAll
    static void startTwoServersOnOneDatabaseAndBucket() {
        servers = TwoServers.start(BUCKET, Map.of());
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
    void codePushedThroughOneServerRunsOnTheOtherAndConfigChangedThroughThatOneRunsOnTheFirst() {
        TestApp.create(serverA, "greeter", files("greeter")).pushAccepted();
        String sha = artifactOf("greeter");
        assertTrue(objects().contains("artifacts/" + sha + ".zip"), "the artifact is in the bucket: " + objects());

        java.nio.file.Path copyOnB = serverB.dataDir().resolve("artifacts").resolve(sha.substring(0, 2))
                .resolve(sha + ".zip");
        assertTrue(!java.nio.file.Files.exists(copyOnB), "B never saw the artifact");

        assertEquals("none", greeting(serverB, "greeter"));
        assertTrue(java.nio.file.Files.isRegularFile(copyOnB), "B downloaded it into its cache");

        TestApi.Response changed = serverB.admin().patch("/api/v1/apps/greeter/config", "{\"GREETING\":\"via-b\"}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals("via-b", greeting(serverA, "greeter"));
        assertEquals("via-b", greeting(serverB, "greeter"));
    }

    @Test
    void destroyingAnAppDeletesItsArtifactFromTheBucketOnlyWhenNoOtherAppRunsIt() {
        TestApp.create(serverA, "twin-one", files("twin")).pushAccepted();
        TestApp.create(serverA, "twin-two", files("twin")).pushAccepted();
        String sha = artifactOf("twin-one");
        assertEquals(sha, artifactOf("twin-two"), "identical code: one artifact");

        assertEquals(200, serverB.admin().delete("/api/v1/apps/twin-one?confirm=twin-one").status());
        assertTrue(objects().contains("artifacts/" + sha + ".zip"), "twin-two still runs it");
        assertEquals("none", greeting(serverB, "twin-two"));

        assertEquals(200, serverA.admin().delete("/api/v1/apps/twin-two?confirm=twin-two").status());
        assertTrue(!objects().contains("artifacts/" + sha + ".zip"), "no release runs it any more: " + objects());
    }

    private static String greeting(TestServer server, String app) {
        TestApi.Response invoked = server.admin().post("/api/v1/apps/" + app + "/functions/web/invoke", "{}");
        assertEquals(200, invoked.status(), invoked.body());
        return invoked.json().get("greeting").asText();
    }

    private static String artifactOf(String app) {
        return serverA.admin().get("/api/v1/apps/" + app + "/releases").json().get(0).get("artifact_sha").asText();
    }

    private static List<String> objects() {
        return s3.listObjectsV2(list -> list.bucket(BUCKET)).contents().stream().map(S3Object::key).sorted().toList();
    }
}
