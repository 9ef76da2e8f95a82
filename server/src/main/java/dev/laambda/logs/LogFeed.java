package dev.laambda.logs;

import dev.laambda.store.ChannelListener;
import dev.laambda.store.Database;
import dev.laambda.store.LogLineRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the tails of an app's log stream when lines were stored for it — by this server or any other on the
 * same database: one connection LISTENs to {@link LogLineRepository#CHANNEL}, and each notification names an
 * app. A woken tail reads its new lines itself ({@link Tail#catchUp}), on a small pool, never two at once for one
 * tail. Every tail also gets a heartbeat, which is how one whose client went away is noticed and dropped.
 */
public final class LogFeed implements AutoCloseable {

    /** What a subscriber does: read and send what is new; send a keep-alive; say whether its client is gone. */
    public interface Tail {
        void catchUp();

        void heartbeat();

        boolean closed();

        /**
         * The server is stopping: end the stream now, while its request can still be answered. (Left to the
         * web server's own shutdown, a stream's request is gone before its next send notices.)
         */
        default void end() {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LogFeed.class);

    private final Map<Long, Set<Subscription>> byApp = new ConcurrentHashMap<>();
    private final ExecutorService readers = Executors.newFixedThreadPool(4, daemon("log-tail"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("log-tail-heartbeat"));
    private final ChannelListener listener;

    public LogFeed(Database database, Duration heartbeatEvery) {
        this.listener = new ChannelListener(database, LogLineRepository.CHANNEL, new ChannelListener.Handler() {
            @Override
            public void connected() {
                // Anything stored while no connection listened is read now.
                byApp.values().forEach(tails -> tails.forEach(Subscription::wake));
            }

            @Override
            public void notified(String appId) {
                wakeApp(appId);
            }

            @Override
            public void disconnected() {
                // The tails keep what they have; the next connection wakes them all.
            }
        }).start();
        heartbeats.scheduleAtFixedRate(this::beat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts waking {@code tail} for the app's new lines, and reads once now; close the result to stop. */
    public AutoCloseable subscribe(long appId, Tail tail) {
        Subscription subscription = new Subscription(appId, tail);
        byApp.computeIfAbsent(appId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
        subscription.wake();
        return subscription::cancel;
    }

    /** How many tails are open on this server now. */
    public int tails() {
        return byApp.values().stream().mapToInt(Set::size).sum();
    }

    /** Ends every tail's stream ({@link Tail#end}) and forgets it: the first step of stopping the server. */
    public void endTails() {
        byApp.values().forEach(tails -> tails.forEach(subscription -> {
            subscription.cancel();
            try {
                subscription.tail.end();
            } catch (RuntimeException e) {
                log.warn("event=log_tail_end_failed app_id={} error=\"{}\"", subscription.appId, e.getMessage());
            }
        }));
    }

    @Override
    public void close() {
        listener.close();
        heartbeats.shutdownNow();
        readers.shutdownNow();
    }

    private void wakeApp(String appId) {
        try {
            Set<Subscription> tails = byApp.get(Long.parseLong(appId));
            if (tails != null) {
                tails.forEach(Subscription::wake);
            }
        } catch (NumberFormatException e) {
            log.warn("event=log_feed_bad_notification payload_length={}", appId.length());
        }
    }

    private void beat() {
        byApp.values().forEach(tails -> tails.forEach(subscription -> {
            subscription.tail.heartbeat();
            if (subscription.tail.closed()) {
                subscription.cancel();
            }
        }));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One tail of one app; at most one catch-up runs at a time, and a wake during one runs it again after. */
    private final class Subscription {

        private final long appId;
        private final Tail tail;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean again = new AtomicBoolean();

        Subscription(long appId, Tail tail) {
            this.appId = appId;
            this.tail = tail;
        }

        void wake() {
            again.set(true);
            if (running.compareAndSet(false, true)) {
                try {
                    readers.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    running.set(false);
                }
            }
        }

        private void drain() {
            try {
                while (again.getAndSet(false) && !tail.closed()) {
                    tail.catchUp();
                }
            } catch (RuntimeException e) {
                log.warn("event=log_tail_failed app_id={} error=\"{}\"", appId, e.getMessage());
            } finally {
                running.set(false);
            }
            if (again.get()) {
                wake();
            }
            if (tail.closed()) {
                cancel();
            }
        }

        void cancel() {
            Set<Subscription> tails = byApp.get(appId);
            if (tails != null) {
                tails.remove(this);
            }
        }
    }
}
