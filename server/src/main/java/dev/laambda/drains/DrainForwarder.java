package dev.laambda.drains;

import dev.laambda.logs.LogFeed;
import dev.laambda.store.Drain;
import dev.laambda.store.DrainRepository;
import dev.laambda.store.LogLine;
import dev.laambda.store.LogLineRepository;
import dev.laambda.store.LogQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Forwards one drain: reads the app's stream from the log store after the last line it sent, in order, a batch at a
 * time, and sends each batch until the drain takes it — retrying with capped exponential backoff, reconnecting each
 * time. It runs on its own thread and reads only the store, so a drain that is slow or down holds up nothing but
 * itself; the store is its buffer, and when it falls more than {@code maxBehind} lines behind it skips ahead. It is
 * woken by LogFeed when lines are stored (by any server), and by a timer; where it got is kept in the drain's row,
 * so a restart (or another server taking over) resumes after the last line sent.
 */
final class DrainForwarder implements LogFeed.Tail {

    private static final Logger log = LoggerFactory.getLogger(DrainForwarder.class);

    private final Drain drain;
    private final DrainUrl url;
    private final String appName;
    private final LogLineRepository lines;
    private final DrainRepository drains;
    private final DrainConnector connector;
    private final DrainForwarding.Timing timing;
    private final Runnable onGone;
    private final Thread thread;
    private final Object wakes = new Object();
    private boolean woken;
    private volatile boolean running = true;
    private volatile DrainSender sender;
    private volatile long sendingSince;
    private long forwarded;
    private long saved;
    private long savedAt;

    DrainForwarder(Drain drain, String appName, LogLineRepository lines, DrainRepository drains, DrainConnector connector,
                   DrainForwarding.Timing timing, Runnable onGone) {
        this.drain = drain;
        this.url = DrainUrl.parse(drain.url());
        this.appName = appName;
        this.lines = lines;
        this.drains = drains;
        this.connector = connector;
        this.timing = timing;
        this.onGone = onGone;
        this.forwarded = drain.forwardedId();
        this.saved = forwarded;
        this.thread = new Thread(this::forward, "drain-" + drain.id());
        thread.setDaemon(true);
    }

    long drainId() {
        return drain.id();
    }

    long appId() {
        return drain.appId();
    }

    DrainForwarder start() {
        thread.start();
        return this;
    }

    /** Stops sending (breaking off a send in progress) and records how far it got. */
    void stop() {
        running = false;
        DrainSender current = sender;
        if (current != null) {
            current.close();
        }
        thread.interrupt();
        try {
            thread.join(timing.sendTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Breaks off a send that has taken longer than the send timeout (a receiver that stopped reading). */
    void checkStalled() {
        long since = sendingSince;
        DrainSender current = sender;
        if (since != 0 && current != null && System.nanoTime() - since > timing.sendTimeout().toNanos()) {
            current.close();
        }
    }

    /** LogFeed: lines were stored for the app; the forwarder's thread reads them. */
    @Override
    public void catchUp() {
        synchronized (wakes) {
            woken = true;
            wakes.notifyAll();
        }
    }

    @Override
    public void heartbeat() {
        // Nothing to keep alive: the drain's connection is the forwarder's own.
    }

    @Override
    public boolean closed() {
        return !running;
    }

    private void forward() {
        log.info("event=drain_forwarding drain_id={} app={} kind={}", drain.id(), appName, url.kind().scheme());
        int failures = 0;
        boolean behind = true;
        while (running) {
            try {
                if (behind) {
                    skipAheadIfTooFarBehind();
                }
                List<LogLine> batch = lines.find(new LogQuery(drain.appId(), timing.batch(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(forwarded)));
                if (batch.isEmpty()) {
                    save(true);
                    awaitWake();
                    continue;
                }
                send(batch);
                forwarded = batch.get(batch.size() - 1).id();
                failures = 0;
                behind = batch.size() == timing.batch();
                save(false);
            } catch (IOException | RuntimeException e) {
                closeSender();
                if (!running) {
                    break;
                }
                failures++;
                behind = true;
                long delay = timing.backoff(failures);
                log.warn("event=drain_send_failed drain_id={} app={} attempt={} retry_in_ms={} error=\"{}\"", drain.id(),
                        appName, failures, delay, String.valueOf(e.getMessage()).replace('"', '\''));
                sleep(delay);
            }
        }
        closeSender();
        Thread.interrupted(); // the stop's interrupt is spent: the position is still to be written
        try {
            save(true);
        } catch (RuntimeException e) {
            log.warn("event=drain_position_not_saved drain_id={} error=\"{}\"", drain.id(), e.getMessage());
        }
        log.info("event=drain_stopped drain_id={} app={}", drain.id(), appName);
    }

    private void send(List<LogLine> batch) throws IOException {
        if (sender == null) {
            sender = connector.open(url, appName);
        }
        sendingSince = System.nanoTime();
        try {
            sender.send(batch);
        } finally {
            sendingSince = 0;
        }
    }

    /** Bounded: past {@code maxBehind} unsent lines, the oldest of them are skipped (and counted in the log). */
    private void skipAheadIfTooFarBehind() {
        long newestKept = drains.lineBehind(drain.appId(), timing.maxBehind());
        if (newestKept > forwarded + 1) {
            long skipped = drains.linesBetween(drain.appId(), forwarded, newestKept - 1);
            if (skipped > 0) {
                log.warn("event=drain_lines_skipped drain_id={} app={} count={} reason=too_far_behind", drain.id(),
                        appName, skipped);
            }
            forwarded = newestKept - 1;
        }
    }

    /** Records the position at most once a second while busy ({@code now}: at once, when idle or stopping). */
    private void save(boolean now) {
        if (forwarded == saved || (!now && System.nanoTime() - savedAt < timing.saveEvery().toNanos())) {
            return;
        }
        if (!drains.forwarded(drain.id(), forwarded)) {
            running = false;
            onGone.run();
        }
        saved = forwarded;
        savedAt = System.nanoTime();
    }

    private void awaitWake() {
        synchronized (wakes) {
            try {
                if (!woken && running) {
                    wakes.wait(timing.pollEvery().toMillis());
                }
            } catch (InterruptedException e) {
                running = false;
            }
            woken = false;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    private void closeSender() {
        DrainSender current = sender;
        sender = null;
        if (current != null) {
            current.close();
        }
    }
}
