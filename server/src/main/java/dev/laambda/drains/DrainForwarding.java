package dev.laambda.drains;

import dev.laambda.BackgroundTasks;
import dev.laambda.logs.LogFeed;
import dev.laambda.store.App;
import dev.laambda.store.AppRepository;
import dev.laambda.store.Drain;
import dev.laambda.store.DrainLocks;
import dev.laambda.store.DrainRepository;
import dev.laambda.store.LogLineRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Shares the drains out among the servers on one database, and runs this server's share: every few seconds (and at
 * once after a drain is added or removed here) it reads every drain, takes the advisory lock of each one no server
 * forwards yet and starts a {@link DrainForwarder} for it, and stops the forwarders of drains that are gone. Exactly
 * one server forwards a drain at a time; when that server stops, its locks go and another takes the drain over.
 */
public final class DrainForwarding implements AutoCloseable {

    /**
     * How forwarding paces itself: lines per batch, how far behind a drain may fall before it skips ahead, how often
     * drains are shared out, how often an idle forwarder looks for lines without being woken, how long a connect or
     * a send may take, how often a busy forwarder records its position, and the retry backoff (doubling, capped).
     */
    public record Timing(int batch, int maxBehind, Duration scanEvery, Duration pollEvery, Duration sendTimeout,
                         Duration saveEvery, Duration firstRetry, Duration maxRetry) {

        public static final Timing DEFAULT = new Timing(500, 10_000, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1));

        long backoff(int failures) {
            long delay = firstRetry.toMillis() << Math.min(failures - 1, 20);
            return Math.min(delay, maxRetry.toMillis());
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DrainForwarding.class);

    private final DrainRepository drains;
    private final DrainLocks locks;
    private final LogLineRepository lines;
    private final LogFeed feed;
    private final AppRepository apps;
    private final DrainConnector connector;
    private final Timing timing;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "drain-forwarding");
        thread.setDaemon(true);
        return thread;
    });

    private record Running(DrainForwarder forwarder, AutoCloseable subscription) {
    }

    public DrainForwarding(DrainRepository drains, DrainLocks locks, LogLineRepository lines, LogFeed feed,
                           AppRepository apps, DrainEgress egress, DrainTls tls, com.fasterxml.jackson.databind.ObjectMapper json,
                           Timing timing) {
        this.drains = drains;
        this.locks = locks;
        this.lines = lines;
        this.feed = feed;
        this.apps = apps;
        this.connector = new DrainConnector(egress, tls, json, timing.sendTimeout());
        this.timing = timing;
    }

    public DrainForwarding start() {
        scanner.scheduleWithFixedDelay(this::scanLogged, 0, timing.scanEvery().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Shares the drains out again now (one was added or removed on this server), not at the next scan. */
    public void refresh() {
        try {
            scanner.execute(this::scanLogged);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // Closing: nothing is forwarded any more.
        }
    }

    /** Stops forwarding a drain removed on this server now, before the next line could go out. */
    public void removed(long drainId) {
        stop(drainId);
    }

    /** The drains this server forwards now. */
    public Set<Long> forwardedHere() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public void close() {
        BackgroundTasks.stop(scanner);
        running.keySet().forEach(this::stop);
        locks.close();
    }

    private void scanLogged() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.warn("event=drain_scan_failed error=\"{}\"", e.getMessage());
        }
    }

    private void scan() {
        if (!running.isEmpty() && !locks.alive()) {
            // The connection holding the locks broke: other servers may take these drains now, so stop at once.
            log.warn("event=drain_locks_lost count={}", running.size());
            running.keySet().forEach(id -> stop(id, false));
        }
        List<Drain> all = drains.all();
        Set<Long> existing = all.stream().map(Drain::id).collect(Collectors.toSet());
        running.keySet().stream().filter(id -> !existing.contains(id)).toList().forEach(this::stop);
        for (Drain drain : all) {
            if (!running.containsKey(drain.id()) && locks.tryLock(drain.id())) {
                startForwarding(drain.id());
            }
        }
        running.values().forEach(r -> r.forwarder().checkStalled());
    }

    private void startForwarding(long drainId) {
        // Read again under the lock: the server that forwarded it before may have moved it on since.
        Optional<Drain> drain = drains.find(drainId);
        Optional<String> appName = drain.flatMap(d -> apps.findById(d.appId())).map(App::name);
        if (drain.isEmpty() || appName.isEmpty()) {
            locks.unlock(drainId);
            return;
        }
        DrainForwarder forwarder;
        try {
            forwarder = new DrainForwarder(drain.get(), appName.get(), lines, drains, connector, timing, this::refresh);
        } catch (RuntimeException unreadable) {
            // A URL this version no longer accepts: left alone (and listed), never connected to.
            log.warn("event=drain_url_unusable drain_id={} error=\"{}\"", drainId, unreadable.getMessage());
            locks.unlock(drainId);
            return;
        }
        forwarder.start();
        running.put(drainId, new Running(forwarder, feed.subscribe(forwarder.appId(), forwarder)));
    }

    private void stop(long drainId) {
        stop(drainId, true);
    }

    private void stop(long drainId, boolean unlock) {
        Running stopping = running.remove(drainId);
        if (stopping == null) {
            return;
        }
        try {
            stopping.subscription().close();
        } catch (Exception e) {
            log.warn("event=drain_unsubscribe_failed drain_id={} error=\"{}\"", drainId, e.getMessage());
        }
        stopping.forwarder().stop();
        if (unlock) {
            locks.unlock(drainId);
        }
    }
}
