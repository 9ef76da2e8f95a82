package dev.laambda.metrics;

import dev.laambda.platform.FunctionSpec;
import dev.laambda.store.Database;
import dev.laambda.store.FunctionMetricsRepository;
import dev.laambda.store.FunctionMinute;
import dev.laambda.store.JdbcTarget;
import dev.laambda.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function_metrics table on a real PostgreSQL, with a clock the test moves: two servers flushing the same
 * minute add up (histograms merged), and minutes older than 24 hours are pruned.
 */
class MetricsStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:30Z");

    private Database database;
    private FunctionMetricsRepository store;
    private MutableClock clock;
    private FunctionSpec function;

    /** A clock that stands still until the test moves it. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void oneApp() throws Exception {
        database = Database.connect(JdbcTarget.fromDatabaseUrl(TestPostgres.newDatabaseUrl()));
        store = new FunctionMetricsRepository(database);
        clock = new MutableClock(T0);
        long appId;
        try (Connection c = database.dataSource().getConnection(); Statement statement = c.createStatement()) {
            statement.execute("INSERT INTO users (email) VALUES ('ann@example.com')");
            try (ResultSet app = statement.executeQuery("INSERT INTO apps (name, owner_id, region) SELECT 'demo', id, "
                    + "'us-east-1' FROM users RETURNING id")) {
                app.next();
                appId = app.getLong(1);
            }
        }
        function = new FunctionSpec(appId, "demo-web", "fn.handler", "python3.12", 512, 3, "sha", 2, "us-east-1",
                Map.of(), OptionalInt.empty());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void twoServersFlushingTheSameMinuteAddUpAndTheirHistogramsMerge() {
        FunctionMetrics serverA = new FunctionMetrics(clock);
        FunctionMetrics serverB = new FunctionMetrics(clock);
        serverA.invoked(function, new FunctionMetrics.Outcome(Duration.ofMillis(10).toNanos(), true, false, false));
        serverA.invoked(function, new FunctionMetrics.Outcome(Duration.ofMillis(20).toNanos(), false, true, false));
        serverA.busy(function, 2);
        serverB.invoked(function, new FunctionMetrics.Outcome(Duration.ofMillis(900).toNanos(), true, true, true));
        serverB.throttled(function);
        serverB.busy(function, 3);

        new MetricsFlusher(serverA, store, clock).flush();
        new MetricsFlusher(serverB, store, clock).flush();

        List<FunctionMinute> minutes = store.since(function.appId(), T0.minus(Duration.ofHours(1)));
        assertEquals(1, minutes.size(), minutes.toString());
        FunctionMinute minute = minutes.get(0);
        assertEquals(Instant.parse("2026-11-29T10:00:00Z"), minute.minute());
        assertEquals(3, minute.invocations());
        assertEquals(2, minute.errors());
        assertEquals(1, minute.throttles());
        assertEquals(1, minute.timeouts());
        assertEquals(2, minute.coldStarts());
        assertEquals(3, minute.peakConcurrency(), "the larger peak of the two");
        assertEquals((10 + 20 + 900) * 512L, minute.billedMbMs(), "milliseconds × MB");
        assertEquals(3, minute.durations().getTotalCount());
        assertEquals(900, minute.durations().getMaxValue() / 1000.0, 1, "server B's slow one is in the merged maximum");
        FunctionReport.Durations durations = FunctionReport.of("web", "demo-web", minutes).totals().durationMs();
        assertEquals(20, durations.p50(), 0.1);
        assertEquals(900, durations.p99(), 1);
    }

    @Test
    void billingRoundsEachInvocationUpToTheMillisecond() {
        FunctionMetrics metrics = new FunctionMetrics(clock);
        metrics.invoked(function, new FunctionMetrics.Outcome(1_200_000, false, false, false)); // 1.2 ms → 2 ms
        new MetricsFlusher(metrics, store, clock).flush();
        FunctionReport report = FunctionReport.of("web", "demo-web", store.since(function.appId(), T0.minus(Duration.ofHours(1))));
        assertEquals(2 * 512 / 1024.0 / 1000.0, report.totals().billedGbSeconds(), 1e-12);
    }

    @Test
    void minutesOlderThan24HoursArePrunedByTheFlush() {
        FunctionMetrics metrics = new FunctionMetrics(clock);
        MetricsFlusher flusher = new MetricsFlusher(metrics, store, clock);
        metrics.invoked(function, new FunctionMetrics.Outcome(1_000_000, false, false, false));
        flusher.flush();
        clock.advance(Duration.ofHours(2));
        metrics.invoked(function, new FunctionMetrics.Outcome(1_000_000, false, false, false));
        flusher.flush();
        assertEquals(2, store.since(function.appId(), Instant.EPOCH).size());

        clock.advance(Duration.ofHours(23));
        flusher.flush();

        List<FunctionMinute> left = store.since(function.appId(), Instant.EPOCH);
        assertEquals(1, left.size(), "the minute of 25 hours ago went, the one of 23 hours ago stays: " + left);
        assertEquals(Instant.parse("2026-11-29T12:00:00Z"), left.get(0).minute());
    }

    @Test
    void aMinuteOfAnAppDestroyedBeforeTheFlushIsDropped() throws Exception {
        FunctionMetrics metrics = new FunctionMetrics(clock);
        metrics.invoked(function, new FunctionMetrics.Outcome(1_000_000, false, false, false));
        try (Connection c = database.dataSource().getConnection(); Statement statement = c.createStatement()) {
            statement.execute("DELETE FROM apps");
        }
        new MetricsFlusher(metrics, store, clock).flush();
        assertTrue(store.since(function.appId(), Instant.EPOCH).isEmpty());
    }
}
