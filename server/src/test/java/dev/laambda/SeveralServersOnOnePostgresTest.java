package dev.laambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laambda.release.ConfigCipher;
import dev.laambda.store.JdbcTarget;
import dev.laambda.testing.PostgresCluster;
import dev.laambda.testing.TestApi;
import dev.laambda.testing.TestApp;
import dev.laambda.testing.TestGit;
import dev.laambda.testing.TestServer;
import dev.laambda.testing.TwoServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers on one real PostgreSQL (Debian's package, a cluster made for this test; not the embedded one, which
 * is per server) and one moto S3 bucket, as an operator runs them behind a load balancer: they agree on code, config
 * and rollbacks whichever one a change reaches, pushes through both at once keep the versions contiguous, and a
 * server that could not share their database refuses to start in one line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralServersOnOnePostgresTest {

    private static final String BUCKET = "laambda-several";
    /** The master key MotoServer.settingsForServersSharing gives both servers. */
    private static final byte[] MASTER_KEY = new byte[32];
    /** How long a change through one server may take to be honoured by the other (README, "Scaling out"). */
    private static final long BOUND_SECONDS = dev.laambda.release.LiveReleases.TTL.toSeconds();

    private static PostgresCluster postgres;
    private static TwoServers servers;
    private static Map<String, String> env;
    private static TestServer serverA;
    private static TestServer serverB;
    private static TestApp app;

    /** The app's code; {@code code} names this version of it in every answer. */
    private static Map<String, String> files(String code) {
        return Map.of("app.py", """
                import os
                def handler(event, context):
                    return {"code": "%s", "greeting": os.environ.get("GREETING", "none")}
                """.formatted(code), "requirements.txt", "", "Procfile", "web: app.handler\n");
    }

    @BeforeAll
    static void startTwoServersOnOnePostgresAndOneBucket() {
        postgres = PostgresCluster.start();
        servers = TwoServers.start(BUCKET, Map.of(ServerConfig.DATABASE_URL, postgres.databaseUrl()));
        env = servers.settings();
        serverA = servers.a();
        serverB = servers.b();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {servers, postgres}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
    }

    @Test
    @Order(1)
    void theDatabaseIsDebiansPostgresqlAndBothServersBeatInIt() throws Exception {
        assertTrue(postgres.version().startsWith("PostgreSQL "), postgres.version());
        assertTrue(postgres.binaries().startsWith("/usr/lib/postgresql"), postgres.binaries().toString());
        assertEquals(List.of("127.0.0.1:" + serverA.laambda().httpPort(), "127.0.0.1:" + serverB.laambda().httpPort()),
                strings("SELECT http_address FROM servers ORDER BY started_at"));
    }

    @Test
    @Order(2)
    void codePushedViaOneConfigSetViaTheOtherAndRollbacksAreHonouredByBoth() throws Exception {
        app = TestApp.create(serverA, "relay", files("one"));
        app.pushAccepted();
        TestApi.Response config = serverB.admin().patch("/api/v1/apps/relay/config", "{\"GREETING\":\"via-b\"}");
        assertEquals(200, config.status(), config.body());
        int configured = config.json().get("release").get("version").asInt();

        assertEquals("one via-b", answer(serverA));
        assertEquals("one via-b", answer(serverB));

        app.commit(files("two"), "two");
        assertPushed(pushTo(serverB, "main"));
        assertEquals("two via-b", answer(serverA));

        TestApi.Response rollback = serverA.admin().post("/api/v1/apps/relay/releases/" + configured + "/rollback", "");
        assertEquals(201, rollback.status(), rollback.body());
        assertEquals("one via-b", awaitAnswer(serverB, "one via-b"));
    }

    @Test
    @Order(3)
    void pushesToOneAppThroughBothServersAtOnceKeepItsVersionsContiguous() throws Exception {
        TestGit developer = app.developer();
        // Two commits on the same parent, pushed at the same moment: "three" through A, "four" through B.
        TestGit.require(developer.git(app.repo(), "branch", "four"));
        app.commit(files("three"), "three");
        String three = developer.headSha(app.repo());
        TestGit.require(developer.git(app.repo(), "checkout", "-q", "four"));
        app.commit(files("four"), "four");
        String four = developer.headSha(app.repo());

        CompletableFuture<TestGit.Result> viaA = CompletableFuture.supplyAsync(() -> pushTo(serverA, three + ":refs/heads/main"));
        CompletableFuture<TestGit.Result> viaB = CompletableFuture.supplyAsync(() -> pushTo(serverB, four + ":refs/heads/main"));
        TestGit.Result a = viaA.get(5, TimeUnit.MINUTES);
        TestGit.Result b = viaB.get(5, TimeUnit.MINUTES);

        assertTrue(a.ok() || b.ok(), "at least one push is accepted:\n" + a.output() + "\n" + b.output());
        List<JsonNode> releases = serverA.admin().getList("/api/v1/apps/relay/releases?limit=100");
        List<Integer> versions = releases.stream().map(release -> release.get("version").asInt()).sorted().toList();
        assertEquals(IntStream.rangeClosed(1, versions.size()).boxed().toList(), versions, "no gap, no duplicate");
        List<String> deployed = releases.stream().filter(release -> release.get("kind").asText().equals("deploy"))
                .map(release -> release.get("git_sha").asText()).toList();
        assertEquals(a.ok(), deployed.contains(three), "an accepted push has its release, a refused one none: " + a.output());
        assertEquals(b.ok(), deployed.contains(four), "an accepted push has its release, a refused one none: " + b.output());

        JsonNode current = releases.stream().filter(release -> release.get("current").asBoolean()).findFirst().orElseThrow();
        assertEquals(versions.get(versions.size() - 1), current.get("version").asInt(), "the newest release is live");
        String code = current.get("git_sha").asText().equals(three) ? "three" : "four";
        assertEquals(code + " via-b", awaitAnswer(serverA, code + " via-b"));
        assertEquals(code + " via-b", awaitAnswer(serverB, code + " via-b"));
    }

    @Test
    @Order(4)
    void aThirdServerWithAnotherMasterKeyRefusesToStartNamingBothKeys() throws Exception {
        byte[] otherKey = new byte[32];
        otherKey[0] = 7;
        Map<String, String> other = new HashMap<>(env);
        other.put(ServerConfig.MASTER_KEY, Base64.getEncoder().encodeToString(otherKey));

        RuntimeException refused = assertThrows(RuntimeException.class, () -> serverA.another(other));

        String line = Laambda.startFailure(refused);
        assertEquals(" !    This database's releases are sealed with the master key " + new ConfigCipher(MASTER_KEY).masterKeyId()
                + ", but this server's is " + new ConfigCipher(otherKey).masterKeyId() + ": start it with the same "
                + "LAAMBDA_MASTER_KEY as the servers that made them.", line);
        assertEquals(2, strings("SELECT id FROM servers").size(), "the refused server left no row");
    }

    @Test
    @Order(5)
    void aSecondServerWithoutTheSharedBucketRefusesToStartInOneLine() throws Exception {
        Map<String, String> withoutBucket = new HashMap<>(env);
        withoutBucket.remove(ServerConfig.S3_BUCKET);

        RuntimeException refused = assertThrows(RuntimeException.class, () -> serverA.another(withoutBucket));

        String line = Laambda.startFailure(refused);
        assertTrue(line.startsWith(" !    Other servers are live on this database ("), line);
        assertTrue(line.contains(" at 127.0.0.1:" + serverA.laambda().httpPort() + ", ")
                && line.contains(" at 127.0.0.1:" + serverB.laambda().httpPort() + ")"), line);
        assertTrue(line.endsWith("), and this one has no shared artifact store: set the same LAAMBDA_S3_BUCKET on every "
                + "server (or, if they have stopped, wait 30 s)."), line);
        assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
        assertEquals(2, strings("SELECT id FROM servers").size(), "the refused server left no row");
        assertTrue(answer(serverB).endsWith(" via-b"), "the servers that run go on");
    }

    private static TestGit.Result pushTo(TestServer server, String refspec) {
        return app.developer().git(app.repo(), "push", "ssh://git@127.0.0.1:" + server.sshPort() + "/relay.git", refspec);
    }

    private static void assertPushed(TestGit.Result push) {
        assertTrue(push.ok(), push.output());
    }

    /** The function's answer through {@code server}: "CODE GREETING". */
    private static String answer(TestServer server) {
        TestApi.Response invoked = server.admin().post("/api/v1/apps/relay/functions/web/invoke", "{}");
        assertEquals(200, invoked.status(), invoked.body());
        return invoked.json().get("code").asText() + " " + invoked.json().get("greeting").asText();
    }

    /** Asks {@code server} until it answers {@code expected}, for at most the stated bound; its last answer. */
    private static String awaitAnswer(TestServer server, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        String answer = answer(server);
        while (!answer.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = answer(server);
        }
        return answer;
    }

    private static List<String> strings(String sql) throws Exception {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl(postgres.databaseUrl());
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
