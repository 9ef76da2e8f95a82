package dev.laambda.platform.local;

import dev.laambda.LaambdaException;
import dev.laambda.metrics.FunctionMetrics;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.InvokeResult;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The instances of one function of one release: a warm one is reused, more start while invocations
 * overlap (up to the concurrency limit: the function's reserved concurrency, else the server's), and past the
 * limit a request waits briefly, then gets 429. The most recently used idle instance is reused first, so the
 * least recently used one is at the tail, where making room for memory stops it.
 */
final class InstancePool implements AutoCloseable {

    private final FunctionSpec spec;
    private final Supplier<FunctionInstance> starter;
    private final int concurrency;
    private final Semaphore slots;
    private final Duration queueWait;
    private final FunctionMetrics metrics;
    private final Deque<FunctionInstance> idle = new ArrayDeque<>();
    private boolean retired;
    private int busy;

    InstancePool(FunctionSpec spec, Supplier<FunctionInstance> starter, int concurrency, Duration queueWait,
                 FunctionMetrics metrics) {
        this.spec = spec;
        this.metrics = metrics;
        this.starter = starter;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency, true);
        this.queueWait = queueWait;
    }

    InvokeResult invoke(byte[] payload, Optional<String> clientContext) {
        try {
            return admitted(payload, clientContext);
        } catch (LaambdaException e) {
            // Every 429 of the local platform is thrown below: reserved concurrency 0, the limit, instance memory.
            if (e.kind() == LaambdaException.Kind.TOO_MANY_REQUESTS) {
                metrics.throttled(spec);
            }
            throw e;
        }
    }

    private InvokeResult admitted(byte[] payload, Optional<String> clientContext) {
        if (spec.reservedConcurrency().orElse(1) == 0) {
            throw new LaambdaException(LaambdaException.Kind.TOO_MANY_REQUESTS, "TooManyRequestsException",
                    "Rate Exceeded: " + spec.functionName() + " has a reserved concurrency of 0, so it takes no "
                            + "invocations until that is raised or cleared.");
        }
        try {
            if (!slots.tryAcquire(queueWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LaambdaException(LaambdaException.Kind.TOO_MANY_REQUESTS, "TooManyRequestsException",
                        "Rate Exceeded: " + spec.functionName() + " is at its "
                                + (spec.reservedConcurrency().isPresent() ? "reserved concurrency" : "concurrency limit")
                                + " (" + concurrency + " at once); retry later.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        FunctionInstance instance = null;
        int busyNow;
        synchronized (this) {
            busyNow = ++busy;
        }
        metrics.busy(spec, busyNow);
        try {
            instance = takeIdle();
            boolean coldStart = instance == null;
            if (coldStart) {
                instance = starter.get();
            }
            long start = System.nanoTime();
            InvokeResult result = instance.invoke(payload, clientContext);
            metrics.invoked(spec, new FunctionMetrics.Outcome(System.nanoTime() - start, coldStart, result.failed(),
                    instance.timedOut()));
            return result;
        } finally {
            synchronized (this) {
                busyNow = busy--;
            }
            // Also at the end, so an invocation that runs into the next minute counts in that minute's peak.
            metrics.busy(spec, busyNow);
            if (instance != null) {
                giveBack(instance);
            }
            slots.release();
        }
    }

    /** A newer release went live: finish what is in flight, start nothing new, stop the idle ones. */
    void retire() {
        List<FunctionInstance> stopping;
        synchronized (this) {
            retired = true;
            stopping = new ArrayList<>(idle);
            idle.clear();
        }
        stopping.forEach(FunctionInstance::close);
    }

    /** Stops instances idle for longer than {@code limit}. */
    void stopIdle(Duration limit) {
        List<FunctionInstance> stopping = new ArrayList<>();
        synchronized (this) {
            idle.removeIf(instance -> {
                boolean stale = instance.idleNanos() > limit.toNanos();
                if (stale) {
                    stopping.add(instance);
                }
                return stale;
            });
        }
        stopping.forEach(FunctionInstance::close);
    }

    /** The idle instance used longest ago, or null; it may be taken before the caller stops it. */
    synchronized FunctionInstance leastRecentlyUsedIdle() {
        return idle.peekLast();
    }

    /** Stops {@code instance} if it is still idle here; false when an invocation took it first. */
    boolean stopIdle(FunctionInstance instance) {
        boolean removed;
        synchronized (this) {
            removed = idle.remove(instance);
        }
        if (removed) {
            instance.close();
        }
        return removed;
    }

    String functionName() {
        return spec.functionName();
    }

    synchronized int idleCount() {
        return idle.size();
    }

    /** Instances running an invocation now. */
    synchronized int busyCount() {
        return busy;
    }

    @Override
    public void close() {
        retire();
    }

    private synchronized FunctionInstance takeIdle() {
        FunctionInstance instance;
        while ((instance = idle.pollFirst()) != null) {
            if (instance.alive()) {
                return instance;
            }
            instance.close();
        }
        return null;
    }

    private void giveBack(FunctionInstance instance) {
        boolean keep;
        synchronized (this) {
            keep = !retired && instance.alive();
            if (keep) {
                idle.addFirst(instance);
            }
        }
        if (!keep) {
            instance.close();
        }
    }
}
