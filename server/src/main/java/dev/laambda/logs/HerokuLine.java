package dev.laambda.logs;

import dev.laambda.store.LogLine;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A log line as Heroku prints it, which people and tools already read:
 * {@code 2026-11-29T10:00:00.123456+00:00 app[create]: hello} or {@code … laambda[router]: at=info method=GET …}.
 */
public final class HerokuLine {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private HerokuLine() {
    }

    public static String of(LogLine line) {
        return timestamp(line.at()) + " " + line.source().id() + "[" + line.process() + "]: " + line.line();
    }

    /** RFC 3339 with microseconds, in UTC: {@code 2026-11-29T10:00:00.123456+00:00} (also syslog drains' TIMESTAMP). */
    public static String timestamp(java.time.Instant at) {
        return TIMESTAMP.format(at);
    }
}
