package dev.laambda.logs;

import dev.laambda.platform.PlatformKind;
import dev.laambda.store.App;
import dev.laambda.store.AppRepository;
import dev.laambda.store.Database;
import dev.laambda.store.JdbcTarget;
import dev.laambda.store.LogLine;
import dev.laambda.store.LogLineRepository;
import dev.laambda.store.LogQuery;
import dev.laambda.store.NewRelease;
import dev.laambda.store.Release;
import dev.laambda.store.User;
import dev.laambda.store.UserRepository;
import dev.laambda.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The log store stays bounded: lines past the retention go, and so does each app's past its newest N. */
class LogRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private Database database;
    private LogLineRepository lines;
    private App busy;
    private App quiet;

    @BeforeEach
    void start() {
        database = Database.connect(JdbcTarget.fromDatabaseUrl(TestPostgres.newDatabaseUrl()));
        lines = new LogLineRepository(database);
        User owner = new UserRepository(database).create("ann@example.com", true);
        AppRepository apps = new AppRepository(database);
        busy = apps.create("busy", owner.id(), PlatformKind.LOCAL, "us-east-1", null, null, id -> firstRelease(id, owner));
        quiet = apps.create("quiet", owner.id(), PlatformKind.LOCAL, "us-east-1", null, null, id -> firstRelease(id, owner));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void linesOlderThanTheRetentionGoAndEveryAppKeepsAtMostItsNewestLines() {
        List<LogLine> written = new ArrayList<>();
        written.add(line(busy, NOW.minus(Duration.ofDays(8)), "too old"));
        for (int i = 0; i < 7; i++) {
            written.add(line(busy, NOW.minus(Duration.ofMinutes(10 - i)), "busy " + i));
        }
        written.add(line(quiet, NOW.minus(Duration.ofDays(6)), "old but kept"));
        lines.insert(written);
        LogRetention retention = new LogRetention(lines, Duration.ofDays(7), 5, Clock.fixed(NOW, ZoneOffset.UTC));

        int removed = retention.prune();

        assertEquals(3, removed, "the 8-day-old line, and busy's two oldest past its newest 5");
        assertEquals(List.of("busy 2", "busy 3", "busy 4", "busy 5", "busy 6"), texts(busy));
        assertEquals(List.of("old but kept"), texts(quiet));
        assertEquals(0, retention.prune(), "nothing more to do");
    }

    private List<String> texts(App app) {
        return lines.find(new LogQuery(app.id(), 100, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty())).stream().map(LogLine::line).toList();
    }

    private static LogLine line(App app, Instant at, String text) {
        return new LogLine(0, app.id(), at, LogLine.Source.APP, "web", null, text);
    }

    private static NewRelease firstRelease(long appId, User owner) {
        return new NewRelease(appId, Release.Kind.CONFIG, "Initial release", null, null, null, new byte[0], "local:test",
                "{}", null, owner.id());
    }
}
