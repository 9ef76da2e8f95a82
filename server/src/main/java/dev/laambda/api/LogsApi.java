package dev.laambda.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.Echo;
import dev.laambda.LaambdaException;
import dev.laambda.logs.LineView;
import dev.laambda.logs.CloudWatchLogCopier;
import dev.laambda.logs.HerokuLine;
import dev.laambda.logs.LogFeed;
import dev.laambda.platform.PlatformKind;
import dev.laambda.release.Apps;
import dev.laambda.release.Releases;
import dev.laambda.store.App;
import dev.laambda.store.LogLine;
import dev.laambda.store.LogLineRepository;
import dev.laambda.store.LogQuery;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * /api/v1/apps/{app}/logs: the app's log stream — its newest lines, with filters applied before the count, and
 * /logs/stream, the same as Server-Sent Events that go on as lines arrive (on any server sharing the database),
 * resumable with Last-Event-ID.
 */
final class LogsApi {

    static final int MAX_LINES = 10_000;
    private static final int DEFAULT_LINES = 100;
    private static final int CATCH_UP_BATCH = 500;
    private static final Pattern RELATIVE = Pattern.compile("^(\\d{1,6})([smhd])$");

    private final Apps apps;
    private final Releases releases;
    private final LogLineRepository lines;
    private final LogFeed feed;
    private final CloudWatchLogCopier cloudWatch;
    private final ObjectMapper json;

    LogsApi(Apps apps, Releases releases, LogLineRepository lines, LogFeed feed, CloudWatchLogCopier cloudWatch,
            ObjectMapper json) {
        this.apps = apps;
        this.releases = releases;
        this.lines = lines;
        this.feed = feed;
        this.cloudWatch = cloudWatch;
        this.json = json;
    }

    /**
     * GET …/logs: the newest {@code n} lines that pass the filters, oldest first. An AWS app's function output is
     * copied in from CloudWatch Logs first.
     */
    void list(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        LogQuery query = query(ctx, app);
        if (app.platform() == PlatformKind.AWS) {
            cloudWatch.copyNow(cloudWatchSource(app));
        }
        ctx.json(lines.find(query).stream().map(LineView::of).toList());
    }

    /**
     * GET …/logs/stream: Server-Sent Events, one event {@code line} per line (its id the line's), first the newest
     * {@code n} (or, with Last-Event-ID, every line after that one), then each new line as it is stored. Every
     * check happens before the stream starts, so a refusal is a plain JSON error.
     */
    void stream(Context ctx) {
        App app = apps.get(Caller.of(ctx), ctx.pathParam("app"));
        LogQuery query = query(ctx, app);
        Optional<Long> lastEventId = lastEventId(ctx);
        if (!Optional.ofNullable(ctx.header("Accept")).orElse("").contains("text/event-stream")) {
            throw LaambdaException.invalid("event_stream_required", "This is a Server-Sent Events stream: send "
                    + "Accept: text/event-stream (as EventSource and `laambda logs --tail` do), or GET …/logs for lines.");
        }
        new SseHandler(client -> {
            client.keepAlive();
            StreamedTail tail = new StreamedTail(client, query, lastEventId);
            // An AWS app's function output reaches the store by polling CloudWatch while someone tails it.
            AutoCloseable copying = app.platform() == PlatformKind.AWS
                    ? cloudWatch.follow(app.id(), () -> cloudWatchSource(app)) : () -> { };
            AutoCloseable subscription = feed.subscribe(query.appId(), tail);
            client.onClose(() -> {
                try (copying; subscription) {
                    // Both closed, the copying even when the subscription's close throws.
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }).handle(ctx);
    }

    /** One client's tail: what it was last sent, and how to send it what is new. */
    private final class StreamedTail implements LogFeed.Tail {

        private final SseClient client;
        private final LogQuery query;
        private long lastSent;
        private boolean started;

        StreamedTail(SseClient client, LogQuery query, Optional<Long> lastEventId) {
            this.client = client;
            this.query = query;
            this.lastSent = lastEventId.orElse(-1L);
            this.started = lastEventId.isPresent();
        }

        @Override
        public synchronized void catchUp() {
            if (!started) {
                // The newest n as the backlog; from then on, everything after them.
                List<LogLine> backlog = lines.find(query);
                lastSent = backlog.isEmpty() ? lines.newestId(query.appId()) : backlog.get(backlog.size() - 1).id();
                backlog.forEach(this::send);
                started = true;
            }
            List<LogLine> next;
            do {
                next = lines.find(new LogQuery(query.appId(), CATCH_UP_BATCH, query.process(), query.source(),
                        query.since(), query.requestId(), Optional.of(lastSent)));
                for (LogLine line : next) {
                    if (client.terminated()) {
                        return;
                    }
                    send(line);
                    lastSent = line.id();
                }
            } while (next.size() == CATCH_UP_BATCH && !client.terminated());
        }

        @Override
        public void heartbeat() {
            client.sendComment("keep-alive");
        }

        @Override
        public boolean closed() {
            return client.terminated();
        }

        @Override
        public void end() {
            client.close();
        }

        private void send(LogLine line) {
            try {
                client.sendEvent("line", json.writeValueAsString(LineView.of(line)), Long.toString(line.id()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a log line could not be written as JSON", e);
            }
        }
    }

    /** The app's functions of its current release, whose CloudWatch groups hold their output. */
    private CloudWatchLogCopier.Source cloudWatchSource(App app) {
        Map<String, String> functions = new LinkedHashMap<>();
        releases.formation(app).entries().forEach((entry, function) -> functions.put(entry, function.functionName()));
        return new CloudWatchLogCopier.Source(app.id(), app.region(), functions);
    }

    /** The filters of a request; an {@code entry} must be a Procfile entry of the current release (else 404). */
    private LogQuery query(Context ctx, App app) {
        Optional<String> entry = Optional.ofNullable(ctx.queryParam("entry")).filter(e -> !e.isBlank());
        entry.ifPresent(name -> releases.formation(app).entry(name));
        int n = Optional.ofNullable(ctx.queryParam("n")).map(LogsApi::lineCount).orElse(DEFAULT_LINES);
        Optional<LogLine.Source> source = Optional.ofNullable(ctx.queryParam("source")).map(LogsApi::source);
        Optional<Instant> since = Optional.ofNullable(ctx.queryParam("since")).map(LogsApi::since);
        return new LogQuery(app.id(), n, entry, source,
                since, Optional.ofNullable(ctx.queryParam("request_id")).filter(r -> !r.isBlank()), Optional.empty());
    }

    private static int lineCount(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LINES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Answered below, as an out-of-range count is.
        }
        throw LaambdaException.invalid("invalid_lines", "n must be a number of lines from 1 to " + MAX_LINES
                + " (got '" + Echo.of(value) + "').");
    }

    private static LogLine.Source source(String value) {
        return switch (value) {
            case "app" -> LogLine.Source.APP;
            case "laambda" -> LogLine.Source.LAAMBDA;
            default -> throw LaambdaException.invalid("invalid_source", "source must be app (the functions' output) or "
                    + "laambda (router, api and build lines), not '" + Echo.of(value) + "'.");
        };
    }

    /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d} ago, or an ISO-8601 instant such as 2026-11-29T10:00:00Z. */
    static Instant since(String value) {
        Matcher relative = RELATIVE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration ago = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return Instant.now().minus(ago);
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw LaambdaException.invalid("invalid_since", "since must be a time ago like 30s, 10m, 2h or 7d, or an "
                    + "ISO-8601 time like 2026-11-29T10:00:00Z (got '" + Echo.of(value) + "').");
        }
    }

    private static Optional<Long> lastEventId(Context ctx) {
        Optional<String> value = Optional.ofNullable(ctx.header("Last-Event-ID"))
                .or(() -> Optional.ofNullable(ctx.queryParam("last_event_id")));
        try {
            return value.map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw LaambdaException.invalid("invalid_last_event_id", "Last-Event-ID must be the id of a line this "
                    + "stream sent, a number (got '" + Echo.of(value.get()) + "').");
        }
    }
}
