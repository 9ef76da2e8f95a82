package dev.laambda.logs;

import dev.laambda.store.LogLine;
import dev.laambda.store.LogLineRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes each app's log stream (docs/architecture.md, "Logs"), off the paths that produce it: a line is put in a
 * bounded queue and returns at once; one thread stores what has queued in batches. So logging never adds a
 * database round trip to an invocation, and when the database is slower than the lines come, the newest lines
 * past the queue's bound are dropped (and counted in the server's log) rather than slowing anyone.
 */
public final class AppLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppLog.class);
    private static final int BATCH = 1000;
    private static final Pattern START = Pattern.compile("^START RequestId: (\\S+)", Pattern.MULTILINE);

    private final LogLineRepository lines;
    private final boolean enabled;
    private final BlockingQueue<LogLine> queue;
    private final Duration flushEvery;
    private final AtomicLong dropped = new AtomicLong();
    /** Fair, so a flush gets its turn between the writer's batches. */
    private final ReentrantLock storing = new ReentrantLock(true);
    private final Thread writer;
    private volatile boolean closing;

    /**
     * {@code maxQueued}: lines waiting to be stored before new ones are dropped; {@code flushEvery}: how long the
     * lines after a first one are gathered before they are stored together (what a tail waits at most, besides).
     */
    public AppLog(LogLineRepository lines, int maxQueued, Duration flushEvery) {
        this(lines, maxQueued, flushEvery, LogStore.ON);
    }

    /** With {@link LogStore#OFF}, every line is dropped uncounted (measuring what storing costs). */
    public AppLog(LogLineRepository lines, int maxQueued, Duration flushEvery, LogStore store) {
        this.lines = lines;
        this.enabled = store == LogStore.ON;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.flushEvery = flushEvery;
        this.writer = new Thread(this::writeLoop, "app-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** A line a function printed (START, END and REPORT included), as {@code app[ENTRY]}. */
    public void function(long appId, String entry, String requestId, String line) {
        append(appId, LogLine.Source.APP, entry, requestId, line);
    }

    /**
     * The log of one invocation (init output, START, the function's lines, END, REPORT) as {@code app[ENTRY]}
     * lines, each with the invocation's request id from its START line.
     */
    public void invocation(long appId, String entry, String invocationLog) {
        if (!enabled) {
            return;
        }
        Matcher start = START.matcher(invocationLog);
        String requestId = start.find() ? start.group(1) : null;
        for (String line : invocationLog.split("\n")) {
            if (!line.isEmpty()) {
                function(appId, entry, requestId, line);
            }
        }
    }

    /** A gateway request, as {@code laambda[router]}. */
    public void router(long appId, String requestId, String line) {
        append(appId, LogLine.Source.LAAMBDA, "router", requestId, line);
    }

    /** A change to the app — a release, a collaborator — as {@code laambda[api]}. */
    public void api(long appId, String line) {
        append(appId, LogLine.Source.LAAMBDA, "api", null, line);
    }

    /** A line of a build's output, as {@code laambda[build]}. */
    public void build(long appId, String line) {
        append(appId, LogLine.Source.LAAMBDA, "build", null, line);
    }

    private void append(long appId, LogLine.Source source, String process, String requestId, String line) {
        if (enabled && !queue.offer(new LogLine(0, appId, Instant.now(), source, process, requestId, line))) {
            dropped.incrementAndGet();
        }
    }

    /** Stores what has queued so far and returns once it is stored (tests, and close). */
    public void flush() {
        storing.lock();
        try {
            List<LogLine> batch = new ArrayList<>();
            while (queue.drainTo(batch, BATCH) > 0) {
                lines.insert(batch);
                batch.clear();
            }
        } finally {
            storing.unlock();
        }
    }

    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    private void writeLoop() {
        List<LogLine> batch = new ArrayList<>(BATCH);
        while (!closing) {
            // Held from taking a line until it is stored, so a flush neither returns before nor overtakes it.
            try {
                storing.lockInterruptibly();
            } catch (InterruptedException e) {
                return;
            }
            try {
                LogLine first = queue.poll(flushEvery.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // Lines that come within a moment go in one transaction: a few per second rather than one per
                // invocation, whose cost would be taken from the invocations running beside it.
                try {
                    Thread.sleep(flushEvery.toMillis());
                } catch (InterruptedException e) {
                    closing = true;
                }
                queue.drainTo(batch, BATCH - 1);
                lines.insert(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database is away: these lines are lost, the next ones are tried again.
                log.warn("event=log_lines_not_stored count={} error=\"{}\"", batch.size(), e.getMessage());
            } finally {
                batch.clear();
                storing.unlock();
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                log.warn("event=log_lines_dropped count={} reason=queue_full", lost);
            }
        }
    }
}
