package dev.laambda.release;

import dev.laambda.LaambdaException;
import dev.laambda.logs.AppLog;
import dev.laambda.platform.FunctionLogLine;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.Platforms;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.FunctionStatus;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.PlatformKind;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import dev.laambda.store.App;
import dev.laambda.store.AppLocks;
import dev.laambda.store.AppRepository;
import dev.laambda.store.ArtifactRepository;
import dev.laambda.store.BuildRepository;
import dev.laambda.store.Database;
import dev.laambda.store.JdbcTarget;
import dev.laambda.store.LogLine;
import dev.laambda.store.LogLineRepository;
import dev.laambda.store.LogQuery;
import dev.laambda.store.Release;
import dev.laambda.store.ReleaseRepository;
import dev.laambda.store.User;
import dev.laambda.store.UserRepository;
import dev.laambda.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every release goes live in three steps: prepare (nothing visible), switch (platform, then one short
 * transaction) and finish (never fails the release). The platform here records what it is asked to do and
 * fails on demand: it is the seam inside Laambda, the database behind it is the real PostgreSQL.
 */
class GoingLiveTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private Database database;
    private final RecordingPlatform platform = new RecordingPlatform();
    private final AfterSwitch afterSwitch = new AfterSwitch(List.of(Duration.ofMillis(20), Duration.ofMillis(20),
            Duration.ofMillis(20)));
    private ReleaseRepository releaseRows;
    private Releases releases;
    private BuildRepository builds;
    private App app;
    private User owner;
    private AppLog appLog;

    @BeforeEach
    void start() {
        database = Database.connect(JdbcTarget.fromDatabaseUrl(TestPostgres.newDatabaseUrl()));
        releaseRows = new ReleaseRepository(database);
        ConfigCipher cipher = new ConfigCipher(new byte[32]);
        releases = new Releases(releaseRows, cipher,
                new GoingLive(releaseRows, new AppLocks(database), cipher, new Platforms(platform, platform), afterSwitch,
                        appLog = new AppLog(new LogLineRepository(database), 1000, Duration.ofMillis(10)),
                        new LiveReleases(new AppRepository(database), releaseRows, cipher, System::nanoTime)), 100);
        builds = new BuildRepository(database);
        owner = new UserRepository(database).create("ann@example.com", true);
        AppRepository apps = new AppRepository(database);
        app = apps.create("demo", owner.id(), PlatformKind.LOCAL, "us-east-1", null, null, id -> releases.initial(id, owner));
        new ArtifactRepository(database).record("a".repeat(64), 100, "file:///a");
        new ArtifactRepository(database).record("b".repeat(64), 100, "file:///b");
    }

    @AfterEach
    void stop() {
        afterSwitch.close();
        appLog.close();
        database.close();
    }

    @Test
    void aDeployIsPreparedThenSwitchedThenFinished() {
        Release v2 = deploy("a", Map.of("web", "app.handler", "worker", "app.work"));

        assertEquals(2, v2.version());
        assertEquals(Release.Status.ACTIVE, v2.status());
        assertEquals(List.of("prepare v2 [demo-web, demo-worker] replacing []", "switch v2", "finish v2"), platform.calls);
        assertEquals(2, current().version());
        FunctionSpec web = platform.rollouts.get(0).functions().get(0);
        assertEquals("app.handler", web.handler());
        assertEquals("a".repeat(64), web.artifactSha());
        assertEquals(2, web.releaseVersion());
    }

    @Test
    void prepareRunsOutsideEveryTransactionAndHoldsNoRowLock() {
        platform.duringPrepare = () -> {
            try (var connection = database.dataSource().getConnection();
                 var rows = connection.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                         + "WHERE datname = current_database() AND state LIKE 'idle in transaction%'")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "a transaction was open while the platform prepared");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        releases.changeConfig(app, owner, Map.of("GREETING", "hi"));
        assertEquals(List.of("prepare v2 [] replacing []", "switch v2", "finish v2"), platform.calls);
    }

    @Test
    void aFailedPrepareStoresNothingAndTheLiveReleaseStays() {
        deploy("a", Map.of("web", "app.handler"));
        platform.prepareFailure = () -> LaambdaException.conflict("image_not_found", "Run image x is missing: build it.");

        LaambdaException refused = assertThrows(LaambdaException.class,
                () -> releases.changeConfig(app, owner, Map.of("GREETING", "hi")));

        assertEquals("image_not_found", refused.code());
        assertEquals(2, current().version());
        assertEquals(2, releases.list(app, 10, null).size(), "nothing stored");
        assertTrue(releases.config(app).values().isEmpty());
        assertFalse(platform.calls.contains("switch v3"));
    }

    @Test
    void aFailedSwitchIsStoredAsFailedAndThePreviousReleaseStaysLive() {
        deploy("a", Map.of("web", "app.handler"));
        platform.switchFailure = () -> new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "aws_error",
                "Function demo-web: UpdateAlias failed (ServiceException).");

        LaambdaException failed = assertThrows(LaambdaException.class, () -> deploy("b", Map.of("web", "app.handler")));

        assertEquals("aws_error", failed.code());
        assertEquals("Release v3 (Deploy 0123456) failed and v2 stays live: Function demo-web: UpdateAlias failed "
                + "(ServiceException).", failed.getMessage());
        assertEquals(Release.Status.FAILED, releases.find(app, 3).status());
        assertEquals(2, current().version());
        assertEquals("a".repeat(64), current().artifactSha());
        assertFalse(platform.calls.contains("finish v3"), "a release that failed is not finished");

        platform.switchFailure = null;
        assertEquals(4, releases.changeConfig(app, owner, Map.of("GREETING", "hi")).version(), "the next one goes live");
        assertEquals("a".repeat(64), current().artifactSha());
        appLog.flush();
        assertEquals(List.of("Release v2 created by ann@example.com (Deploy 0123456)",
                        "Release v3 (Deploy 0123456) failed and v2 stays live: Function demo-web: UpdateAlias failed "
                                + "(ServiceException).",
                        "Release v4 created by ann@example.com (Set GREETING config var)"),
                new LogLineRepository(database).find(new LogQuery(app.id(), 10, Optional.of("api"), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty())).stream().map(LogLine::line).toList(),
                "each release, and the one that failed, is a line in the app's log stream");
    }

    @Test
    void aCommitThatFailsAfterThePlatformSwitchedMovesThePlatformBack() {
        deploy("a", Map.of("web", "app.handler"));

        // An artifact the database has no row for: the switch's transaction is refused by its foreign key.
        assertThrows(RuntimeException.class, () -> deploy("c", Map.of("web", "app.handler")));

        assertEquals(List.of("prepare v3 [demo-web] replacing [demo-web]", "switch v3", "switch back v3"),
                platform.calls.subList(3, platform.calls.size()));
        assertEquals(2, current().version());
    }

    @Test
    void aFailedFinishLeavesTheNewReleaseLiveAndIsRetried() {
        deploy("a", Map.of("web", "app.handler"));
        platform.finishFailures.set(2);

        Release v3 = releases.changeConfig(app, owner, Map.of("GREETING", "hi"));

        assertEquals(Release.Status.ACTIVE, v3.status());
        assertEquals(3, current().version());
        await(() -> platform.calls.stream().filter("finish v3"::equals).count() == 3, "finish retried until it worked");
        assertEquals(0, platform.finishFailures.get());
    }

    @Test
    void aConfigChangeMadeDuringASlowPrepareIsAppliedAfterItAndNothingIsLost() throws Exception {
        deploy("a", Map.of("web", "app.handler"));
        CountDownLatch preparing = new CountDownLatch(1);
        CountDownLatch carryOn = new CountDownLatch(1);
        platform.duringPrepare = () -> {
            if (platform.rollouts.size() == 2) {
                preparing.countDown();
                await(carryOn);
            }
        };
        CompletableFuture<Release> slow = CompletableFuture.supplyAsync(
                () -> releases.changeConfig(app, owner, Map.of("FIRST", "1")));
        assertTrue(preparing.await(10, TimeUnit.SECONDS));
        CompletableFuture<Release> concurrent = CompletableFuture.supplyAsync(
                () -> releases.changeConfig(app, owner, Map.of("SECOND", "2")));
        Thread.sleep(300);
        assertFalse(concurrent.isDone(), "the second change waits for the first one's switch");
        assertEquals(2, platform.rollouts.size(), "and does not prepare meanwhile");

        carryOn.countDown();

        assertEquals(3, slow.get(10, TimeUnit.SECONDS).version());
        assertEquals(4, concurrent.get(10, TimeUnit.SECONDS).version());
        assertEquals(Map.of("FIRST", "1", "SECOND", "2"), releases.config(app).values());
    }

    @Test
    void aDeployThatDropsAnEntryTellsThePlatformWhichFunctionWent() {
        deploy("a", Map.of("web", "app.handler", "worker", "app.work"));
        deploy("b", Map.of("web", "app.handler"));

        Rollout second = platform.rollouts.get(1);
        assertEquals(List.of("demo-worker"), second.removedFunctions().stream().map(FunctionSpec::functionName).toList());
        assertEquals(2, second.replaced().get(0).releaseVersion());
    }

    @Test
    void aRollbackGoesLiveTheSameWayWithTheOldReleasesFunctions() {
        deploy("a", Map.of("web", "app.handler", "worker", "app.work"));
        deploy("b", Map.of("web", "app.handler"));

        Release v4 = releases.rollback(app, owner, 2);

        assertEquals(List.of("prepare v4 [demo-web, demo-worker] replacing [demo-web]", "switch v4", "finish v4"),
                platform.calls.subList(6, 9));
        assertEquals("a".repeat(64), v4.artifactSha());
        assertEquals(4, current().version());
    }

    private Release deploy(String artifact, Map<String, String> processTypes) {
        long build = builds.start(app.id(), SHA).id();
        return releases.deploy(app, owner, SHA, build, artifact.repeat(64), processTypes, "python3.13", line -> { });
    }

    private Release current() {
        return releaseRows.current(app.id()).orElseThrow();
    }

    private static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            sleep(10);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records each step it is asked for; fails a step when told to. */
    private static final class RecordingPlatform implements FunctionPlatform {

        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Rollout> rollouts = new CopyOnWriteArrayList<>();
        final AtomicInteger finishFailures = new AtomicInteger();
        volatile Runnable duringPrepare = () -> { };
        volatile Supplier<RuntimeException> prepareFailure;
        volatile Supplier<RuntimeException> switchFailure;

        @Override
        public PreparedRollout prepare(Rollout rollout, java.util.function.Consumer<String> progress) {
            rollouts.add(rollout);
            calls.add("prepare v" + rollout.version() + " " + names(rollout.functions()) + " replacing "
                    + names(rollout.replaced()));
            duringPrepare.run();
            if (prepareFailure != null) {
                throw prepareFailure.get();
            }
            int version = rollout.version();
            return new PreparedRollout() {
                @Override
                public void switchLive() {
                    calls.add("switch v" + version);
                    if (switchFailure != null) {
                        throw switchFailure.get();
                    }
                }

                @Override
                public void switchBack() {
                    calls.add("switch back v" + version);
                }

                @Override
                public void finish() {
                    calls.add("finish v" + version);
                    if (finishFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        throw new IllegalStateException("instances would not stop");
                    }
                }
            };
        }

        private static List<String> names(List<FunctionSpec> functions) {
            return functions.stream().map(FunctionSpec::functionName).sorted().toList();
        }

        @Override
        public InvokeResult invoke(FunctionSpec function, byte[] payload, Optional<String> clientContext) {
            throw new UnsupportedOperationException("not invoked here");
        }

        @Override
        public FunctionStatus status(FunctionRef function) {
            return FunctionStatus.local("Active", 0, 0);
        }

        @Override
        public List<FunctionLogLine> logs(FunctionRef function, int limit) {
            return List.of();
        }

        @Override
        public void remove(List<FunctionRef> functions) {
            calls.add("remove " + functions);
        }

        @Override
        public String description() {
            return "recording";
        }
    }
}
