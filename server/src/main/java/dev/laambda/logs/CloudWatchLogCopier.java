package dev.laambda.logs;

import dev.laambda.LaambdaException;
import dev.laambda.platform.aws.AwsClients;
import dev.laambda.platform.aws.LambdaLogs;
import dev.laambda.store.LogLine;
import dev.laambda.store.LogLineRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings an AWS app's function output into its log stream: Lambda writes it to CloudWatch Logs, not to us, so
 * the new events of each function's group /aws/lambda/APP-ENTRY are copied into log_lines as {@code app[ENTRY]}
 * lines, with CloudWatch's timestamp. The store stays the one ordered stream: listing, filters, the SSE tail
 * and its resumption work as for a local app. Copied once before a listing answers, and every
 * {@code pollEvery} while a tail of the app is open (on any server: each event is stored once, keyed by its
 * CloudWatch event id).
 */
public final class CloudWatchLogCopier implements AutoCloseable {

    /** An AWS app's functions now: its id, region, and Procfile entry → Lambda function name. */
    public record Source(long appId, String region, Map<String, String> functions) {
    }

    /** How often a tailed AWS app's groups are read: a new line shows within about this (plus CloudWatch's delay). */
    public static final Duration POLL_EVERY = Duration.ofSeconds(1);
    /** Where a first read starts: Lambda's log of the last day, as `functions/ENTRY/logs` reads it. */
    static final Duration FIRST_LOOK_BACK = Duration.ofDays(1);
    /**
     * Each read starts this long before the newest event copied: CloudWatch may take a few seconds to make an
     * event readable, and one logged meanwhile with an earlier time would otherwise be missed. The events read
     * twice are skipped by their id.
     */
    static final Duration OVERLAP = Duration.ofSeconds(30);
    /** The text one read of one function copies at most; a flood comes in over several reads. */
    static final long MAX_BYTES_PER_READ = 4L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(CloudWatchLogCopier.class);
    private static final Pattern REQUEST_LINE = Pattern.compile("^(START|END|REPORT) RequestId: (\\S+)");

    private final LogLineRepository lines;
    private final AwsClients aws;
    private final Duration pollEvery;
    private final ScheduledExecutorService pollers;
    /** Per app and function name: where its next read starts. */
    private final Map<String, Instant> nextRead = new ConcurrentHashMap<>();
    /** Per app id: its open tails' poll, shared, and how many tails share it. */
    private final Map<Long, Followed> followed = new HashMap<>();

    private static final class Followed {
        ScheduledFuture<?> poll;
        int tails;
    }

    public CloudWatchLogCopier(LogLineRepository lines, AwsClients aws, Duration pollEvery) {
        this.lines = lines;
        this.aws = aws;
        this.pollEvery = pollEvery;
        this.pollers = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "cloudwatch-log-copier");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Copies what is new now, for a listing that should include it. When CloudWatch cannot be read the listing
     * still answers from the store (the activity lines), and the server's log says why.
     */
    public void copyNow(Source source) {
        try {
            copy(source);
        } catch (LaambdaException e) {
            log.warn("event=cloudwatch_logs_unavailable app_id={} code={} error=\"{}\"", source.appId(), e.code(),
                    e.getMessage());
        }
    }

    /**
     * Keeps copying the app's new events every {@code pollEvery} until the result is closed; {@code source} is
     * asked each time, so a deploy that adds an entry is followed too. Tails of one app share one poll.
     */
    public AutoCloseable follow(long appId, Supplier<Source> source) {
        synchronized (followed) {
            Followed app = followed.computeIfAbsent(appId, id -> new Followed());
            if (app.tails++ == 0) {
                app.poll = pollers.scheduleWithFixedDelay(() -> {
                    try {
                        copyNow(source.get());
                    } catch (RuntimeException e) {
                        // The database is away, say: the next poll tries again (a thrown poll would end them all).
                        log.warn("event=cloudwatch_logs_copy_failed app_id={} error=\"{}\"", appId, e.getMessage());
                    }
                }, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return () -> {
            synchronized (followed) {
                Followed app = followed.get(appId);
                if (app != null && --app.tails == 0) {
                    app.poll.cancel(false);
                    followed.remove(appId);
                }
            }
        };
    }

    /** How many apps are followed now (tests: a closed tail stops its poll). */
    public int followedApps() {
        synchronized (followed) {
            return followed.size();
        }
    }

    @Override
    public void close() {
        pollers.shutdownNow();
    }

    /**
     * One read per function, from where the last one left off, stored in time order. After a read that stopped
     * at its bound the next starts at its last event's time, not the overlap before it, so a flood moves on.
     */
    private void copy(Source source) {
        LambdaLogs logs = LambdaLogs.of(aws, source.region());
        for (Map.Entry<String, String> function : source.functions().entrySet()) {
            String entry = function.getKey();
            String name = function.getValue();
            String key = source.appId() + "/" + name;
            Instant from = nextRead.computeIfAbsent(key, k -> lines.newestCopied(source.appId(), entry)
                    .map(at -> at.minus(OVERLAP)).orElse(Instant.now().minus(FIRST_LOOK_BACK)));
            LambdaLogs.Events read = logs.since(name, from, MAX_BYTES_PER_READ);
            if (read.events().isEmpty()) {
                continue;
            }
            lines.insertCopied(source.appId(), asLines(source.appId(), entry, name, read.events()));
            Instant last = read.events().get(read.events().size() - 1).at();
            Instant next = read.complete() ? last.minus(OVERLAP) : last;
            nextRead.merge(key, next, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /**
     * Each event as an {@code app[ENTRY]} line keyed by function and event id, in order. Its request id is the
     * one its START, END or REPORT line names, or, for the function's own output between them, the last START's
     * of the same log stream (one stream is one instance, which runs one invocation at a time).
     */
    static Map<String, LogLine> asLines(long appId, String entry, String functionName, List<LambdaLogs.Event> events) {
        Map<String, LogLine> byId = new LinkedHashMap<>();
        Map<String, String> invocationByStream = new HashMap<>();
        for (LambdaLogs.Event event : events) {
            String stream = event.stream() == null ? "" : event.stream();
            Matcher request = REQUEST_LINE.matcher(event.message());
            String requestId;
            if (request.find()) {
                requestId = request.group(2);
                if (request.group(1).equals("START")) {
                    invocationByStream.put(stream, requestId);
                } else if (request.group(1).equals("REPORT")) {
                    invocationByStream.remove(stream);
                }
            } else {
                requestId = invocationByStream.get(stream);
            }
            byId.put(functionName + "/" + event.id(), new LogLine(0, appId, event.at(), LogLine.Source.APP, entry,
                    requestId, event.message()));
        }
        return byId;
    }
}
