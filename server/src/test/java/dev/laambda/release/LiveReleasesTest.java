package dev.laambda.release;

import dev.laambda.logs.AppLog;
import dev.laambda.platform.FunctionLogLine;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.FunctionStatus;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.PlatformKind;
import dev.laambda.platform.Platforms;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import dev.laambda.store.App;
import dev.laambda.store.AppLocks;
import dev.laambda.store.AppRepository;
import dev.laambda.store.ChannelListener;
import dev.laambda.store.Database;
import dev.laambda.store.JdbcTarget;
import dev.laambda.store.LogLineRepository;
import dev.laambda.store.ReleaseRepository;
import dev.laambda.store.User;
import dev.laambda.store.UserRepository;
import dev.laambda.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers' caches of the live releases on one real PostgreSQL: a change made through one is what the other
 * runs within {@link LiveReleases#TTL}, through the database's notification (B's entries never expire here), and
 * the TTL alone catches a change that no notification told of.
 */
class LiveReleasesTest {

    private Database database;
    private ConfigCipher cipher;
    private ReleaseRepository releaseRows;
    private AppRepository apps;
    private LiveReleases serverA;
    private LiveReleases serverB;
    private Releases releasesOnA;
    private ChannelListener listenerA;
    private ChannelListener listenerB;
    private AfterSwitch afterSwitch;
    private AppLog appLog;
    private User owner;
    private App app;

    @BeforeEach
    void start() {
        database = Database.connect(JdbcTarget.fromDatabaseUrl(TestPostgres.newDatabaseUrl()));
        cipher = new ConfigCipher(new byte[32]);
        releaseRows = new ReleaseRepository(database);
        apps = new AppRepository(database);
        serverA = new LiveReleases(apps, releaseRows, cipher, System::nanoTime);
        // B's clock stands still, so its entries never expire: only the database's notification can drop them.
        AtomicLong frozen = new AtomicLong();
        serverB = new LiveReleases(apps, releaseRows, cipher, frozen::get);
        listenerA = new ChannelListener(database, LiveReleases.CHANNEL, serverA).start();
        listenerB = new ChannelListener(database, LiveReleases.CHANNEL, serverB).start();
        afterSwitch = new AfterSwitch(List.of(Duration.ofMillis(20)));
        appLog = new AppLog(new LogLineRepository(database), 1000, Duration.ofMillis(10));
        FunctionPlatform platform = new AcceptingPlatform();
        releasesOnA = new Releases(releaseRows, cipher, new GoingLive(releaseRows, new AppLocks(database), cipher,
                new Platforms(platform, platform), afterSwitch, appLog, serverA), 100);
        owner = new UserRepository(database).create("ann@example.com", true);
        app = apps.create("demo", owner.id(), PlatformKind.LOCAL, "us-east-1", null, null,
                id -> releasesOnA.initial(id, owner));
        awaitListening(serverA);
        awaitListening(serverB);
    }

    @AfterEach
    void stop() {
        listenerA.close();
        listenerB.close();
        afterSwitch.close();
        appLog.close();
        database.close();
    }

    @Test
    void aConfigChangeThroughOneServerIsWhatTheOtherRunsWithinTheBound() {
        assertEquals(Map.of(), serverB.live(app).config().values(), "B keeps the app's empty config");

        releasesOnA.changeConfig(app, owner, Map.of("GREETING", "hi"));

        assertEquals(Map.of("GREETING", "hi"), serverA.live(app).config().values(), "A runs its own change at once");
        assertEquals(Map.of("GREETING", "hi"), within(LiveReleases.TTL, () -> serverB.live(app).config().values(),
                Map.of("GREETING", "hi")));
    }

    @Test
    void aRollbackThroughOneServerIsLiveOnTheOtherWithinTheBound() {
        releasesOnA.changeConfig(app, owner, Map.of("GREETING", "hi"));
        releasesOnA.changeConfig(app, owner, Map.of("GREETING", "hello"));
        assertEquals(3, serverB.live(app).release().orElseThrow().version());

        releasesOnA.rollback(app, owner, 2);

        assertEquals(Map.of("GREETING", "hi"), within(LiveReleases.TTL, () -> serverB.live(app).config().values(),
                Map.of("GREETING", "hi")));
        assertEquals(4, serverB.live(app).release().orElseThrow().version());
    }

    @Test
    void aDestroyedAppIsForgottenByEveryServer() {
        assertTrue(serverB.app("demo").isPresent());

        apps.delete(app.id());

        assertEquals(Optional.empty(), within(LiveReleases.TTL, () -> serverB.app("demo"), Optional.empty()));
    }

    @Test
    void aChangeNoNotificationToldOfIsSeenOnceTheEntryExpires() {
        AtomicLong now = new AtomicLong();
        LiveReleases deaf = new LiveReleases(apps, releaseRows, cipher, now::get);
        deaf.connected(); // as if listening, but no listener: only the TTL can drop what it keeps
        assertEquals(Map.of(), deaf.live(app).config().values());

        releasesOnA.changeConfig(app, owner, Map.of("GREETING", "hi"));
        now.addAndGet(LiveReleases.TTL.toNanos() - 1);
        assertEquals(Map.of(), deaf.live(app).config().values(), "still kept just inside the TTL");

        now.addAndGet(1);
        assertEquals(Map.of("GREETING", "hi"), deaf.live(app).config().values(), "read again once expired");
    }

    @Test
    void whileNotListeningNothingIsKept() {
        AtomicLong now = new AtomicLong();
        LiveReleases notListening = new LiveReleases(apps, releaseRows, cipher, now::get);
        assertEquals(Map.of(), notListening.live(app).config().values());

        releasesOnA.changeConfig(app, owner, Map.of("GREETING", "hi"));

        assertEquals(Map.of("GREETING", "hi"), notListening.live(app).config().values(),
                "without a listening connection every read goes to the database");
        notListening.connected();
        notListening.live(app);
        notListening.disconnected();
        releasesOnA.changeConfig(app, owner, Map.of("GREETING", "hello"));
        assertEquals(Map.of("GREETING", "hello"), notListening.live(app).config().values(),
                "losing the connection drops what was kept");
    }

    /** Polls up to {@code bound} for {@code expected}, and returns the last value seen. */
    private static <T> T within(Duration bound, Supplier<T> read, T expected) {
        long deadline = System.nanoTime() + bound.toNanos();
        T value = read.get();
        while (!value.equals(expected) && System.nanoTime() < deadline) {
            sleep(10);
            value = read.get();
        }
        return value;
    }

    /** A listener is connected once a change made now reaches it; until then its cache keeps nothing. */
    private void awaitListening(LiveReleases server) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            App read = server.app("demo").orElseThrow();
            if (server.app("demo").orElseThrow() == read) {
                return; // the second read came from memory: it is listening
            }
            sleep(10);
        }
        throw new AssertionError("the cache never started listening");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Takes every release live: the platform is not what is tested here. */
    private static final class AcceptingPlatform implements FunctionPlatform {
        @Override
        public String description() {
            return "accepting";
        }

        @Override
        public PreparedRollout prepare(Rollout rollout, Consumer<String> progress) {
            return new PreparedRollout() {
                @Override
                public void switchLive() {
                }

                @Override
                public void switchBack() {
                }

                @Override
                public void finish() {
                }
            };
        }

        @Override
        public InvokeResult invoke(FunctionSpec function, byte[] payload, Optional<String> clientContext) {
            throw new UnsupportedOperationException("not invoked here");
        }

        @Override
        public FunctionStatus status(FunctionRef function) {
            throw new UnsupportedOperationException("not asked here");
        }

        @Override
        public List<FunctionLogLine> logs(FunctionRef function, int limit) {
            return List.of();
        }

        @Override
        public void remove(List<FunctionRef> functions) {
        }
    }
}
