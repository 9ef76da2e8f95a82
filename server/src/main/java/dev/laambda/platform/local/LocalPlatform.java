package dev.laambda.platform.local;

import dev.laambda.OutputLimits;
import dev.laambda.LaambdaException;
import dev.laambda.ServerConfig;
import dev.laambda.metrics.FunctionMetrics;
import dev.laambda.platform.FunctionLogLine;
import dev.laambda.platform.FunctionLogs;
import dev.laambda.platform.FunctionPlatform;
import dev.laambda.platform.FunctionRef;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.FunctionStatus;
import dev.laambda.platform.InvokeResult;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Laambda's own Lambda: each function runs as runtime processes on this machine, speaking the Lambda
 * Runtime API to Laambda. Instances belong to one release; a newer release gets new instances while the
 * old ones finish their work, so no invocation ever sees one release's code with another's config.
 */
public final class LocalPlatform implements FunctionPlatform, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPlatform.class);

    private final ArtifactUnpacker unpacker;
    private final InstanceLauncher launcher;
    private final int concurrency;
    private final InstanceMemory memory;
    private final Duration queueWait;
    private final FunctionMetrics metrics;
    private final Map<String, InstancePool> pools = new ConcurrentHashMap<>();
    /** Per function, the oldest release that may still start instances: what the last rollout's finish left. */
    private final Map<String, Integer> oldestLive = new ConcurrentHashMap<>();
    /** Kept per function, like a CloudWatch log group: the last 10,000 lines (at most 1 MB) of each. */
    private final FunctionLogs logs = new FunctionLogs(10_000, OutputLimits.MAX_LOG_BYTES);
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "idle-instance-reaper");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code concurrency}: instances one function may run at once, unless it reserves fewer; {@code memory}: what
     * all instances together may take; {@code metrics}: where every pool records its invocations and refusals.
     */
    public LocalPlatform(ArtifactUnpacker unpacker, InstanceLauncher launcher, int concurrency, InstanceMemory memory,
                         Duration idleTimeout, FunctionMetrics metrics) {
        this.metrics = metrics;
        this.unpacker = unpacker;
        this.launcher = launcher;
        this.concurrency = concurrency;
        this.memory = memory;
        this.queueWait = Duration.ofSeconds(2);
        long every = Math.max(1, Math.min(idleTimeout.toSeconds(), 60));
        reaper.scheduleAtFixedRate(() -> pools.values().forEach(pool -> pool.stopIdle(idleTimeout)), every, every,
                TimeUnit.SECONDS);
    }

    @Override
    public String description() {
        return "local (instances: " + launcher.description() + "; instance memory " + memory.limitMb() + " MB)";
    }

    /**
     * Checks that every function could start here (its run image exists) and unpacks the code, so the first
     * invocation after the switch does not pay for it. Nothing a caller sees changes: invocations resolve the
     * release from the database, and the switch is the commit that points the app at it.
     */
    @Override
    public PreparedRollout prepare(Rollout rollout, Consumer<String> progress) {
        for (FunctionSpec function : rollout.functions()) {
            launcher.checkRunnable(function.runtime(), function.environment());
        }
        rollout.functions().forEach(function -> unpacker.unpacked(function.appId(), function.artifactSha()));
        return new PreparedRollout() {
            @Override
            public void switchLive() {
                // Locally the commit is the switch: the next invocation resolves the new release.
            }

            @Override
            public void switchBack() {
            }

            @Override
            public void finish() {
                retireBefore(rollout);
            }
        };
    }

    @Override
    public InvokeResult invoke(FunctionSpec function, byte[] payload, Optional<String> clientContext) {
        InvokeResult result = pool(function).invoke(payload, clientContext);
        logs.append(function.functionName(), function.releaseVersion(), result.log());
        return result;
    }

    @Override
    public FunctionStatus status(FunctionRef function) {
        String functionName = function.functionName();
        int warm = 0;
        int busy = 0;
        for (Map.Entry<String, InstancePool> pool : pools.entrySet()) {
            if (pool.getKey().startsWith(functionName + "@")) {
                warm += pool.getValue().idleCount();
                busy += pool.getValue().busyCount();
            }
        }
        return FunctionStatus.local("Active", warm, busy);
    }

    @Override
    public List<FunctionLogLine> logs(FunctionRef function, int limit) {
        return logs.tail(function.functionName(), limit);
    }

    @Override
    public void remove(List<FunctionRef> functions) {
        for (String functionName : functions.stream().map(FunctionRef::functionName).toList()) {
            logs.remove(functionName);
            retire(functionName, version -> true);
            oldestLive.remove(functionName);
        }
    }

    /**
     * The finish of a rollout: instances of the functions' older releases stop once their current invocations
     * end, and so do all of the functions the release no longer has. An invocation that resolved the old release
     * just before the switch still runs on it (see {@link #pool}). Other servers retire theirs at their first
     * invocation of the new release.
     */
    private void retireBefore(Rollout rollout) {
        rollout.functions().forEach(function -> retireBefore(function.functionName(), rollout.version()));
        rollout.removedFunctions().forEach(function -> retireBefore(function.functionName(), rollout.version()));
    }

    private synchronized void retireBefore(String functionName, int version) {
        oldestLive.merge(functionName, version, Math::max);
        retire(functionName, older -> older < version);
    }

    private synchronized void retire(String functionName, java.util.function.IntPredicate versions) {
        String prefix = functionName + "@";
        pools.entrySet().removeIf(entry -> {
            boolean retired = entry.getKey().startsWith(prefix)
                    && versions.test(Integer.parseInt(entry.getKey().substring(prefix.length())));
            if (retired) {
                entry.getValue().retire();
                log.info("event=function_release_retired function={} version={}", functionName,
                        entry.getKey().substring(prefix.length()));
            }
            return retired;
        });
    }

    /** Instances of every function here: idle (warm) and running an invocation (busy), for /metrics. */
    public int instances(boolean busy) {
        return pools.values().stream().mapToInt(pool -> busy ? pool.busyCount() : pool.idleCount()).sum();
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        pools.values().forEach(InstancePool::retire);
        pools.clear();
        launcher.close();
    }

    /**
     * The pool of this exact release of the function. A newer release retires the pools of older ones; a
     * request that resolved an older release just before a switch still runs on it, in a pool retired at once.
     */
    private InstancePool pool(FunctionSpec function) {
        InstancePool pool = pools.get(key(function.functionName(), function.releaseVersion()));
        return pool != null ? pool : newPool(function);
    }

    private synchronized InstancePool newPool(FunctionSpec function) {
        String key = key(function.functionName(), function.releaseVersion());
        InstancePool existing = pools.get(key);
        if (existing != null) {
            return existing;
        }
        int limit = Math.min(function.reservedConcurrency().orElse(concurrency), concurrency);
        InstancePool pool = new InstancePool(function, () -> startInstance(function), limit, queueWait, metrics);
        String prefix = function.functionName() + "@";
        boolean newer = function.releaseVersion() < oldestLive.getOrDefault(function.functionName(), 0)
                || pools.keySet().stream().filter(k -> k.startsWith(prefix))
                .anyMatch(k -> Integer.parseInt(k.substring(prefix.length())) > function.releaseVersion());
        if (newer) {
            pool.retire();
            return pool;
        }
        pools.entrySet().removeIf(entry -> {
            boolean older = entry.getKey().startsWith(prefix);
            if (older) {
                entry.getValue().retire();
            }
            return older;
        });
        pools.put(key, pool);
        log.info("event=function_release_live function={} version={}", function.functionName(), function.releaseVersion());
        return pool;
    }

    private FunctionInstance startInstance(FunctionSpec function) {
        java.nio.file.Path code = unpacker.unpacked(function.appId(), function.artifactSha());
        return FunctionInstance.start(function, code, launcher, holdMemory(function));
    }

    /**
     * Memory for one more instance of {@code function}. When it does not fit, idle instances of any function
     * stop, least recently used first, as Lambda reclaims idle capacity; when that is not enough, 429.
     */
    private InstanceMemory.Hold holdMemory(FunctionSpec function) {
        int megabytes = function.memoryMb();
        if (megabytes <= memory.limitMb()) {
            Optional<InstanceMemory.Hold> hold;
            while ((hold = memory.tryHold(megabytes)).isEmpty()) {
                if (!stopLeastRecentlyUsedIdle()) {
                    break;
                }
            }
            if (hold.isPresent()) {
                return hold.get();
            }
        }
        long inUse = memory.inUseMb();
        log.warn("event=invoke_refused reason=instance_memory function={} memory_mb={} in_use_mb={}",
                function.functionName(), megabytes, inUse);
        String why = megabytes > memory.limitMb()
                ? String.format(Locale.ROOT, "a %d MB instance of %s is larger than this server's instance memory "
                        + "(%s=%d MB): lower its memory", megabytes, function.functionName(), ServerConfig.INSTANCE_MEMORY,
                        memory.limitMb())
                : String.format(Locale.ROOT, "starting another %d MB instance of %s would pass this server's instance "
                        + "memory (%s=%d MB, %d MB in use); retry later", megabytes, function.functionName(),
                        ServerConfig.INSTANCE_MEMORY, memory.limitMb(), inUse);
        throw new LaambdaException(LaambdaException.Kind.TOO_MANY_REQUESTS, "TooManyRequestsException",
                "Rate Exceeded: " + why + ".");
    }

    /** Stops the idle instance used longest ago, of any function; false when no instance is idle. */
    private boolean stopLeastRecentlyUsedIdle() {
        InstancePool oldestPool = null;
        FunctionInstance oldest = null;
        long oldestIdle = -1;
        for (InstancePool pool : pools.values()) {
            FunctionInstance candidate = pool.leastRecentlyUsedIdle();
            long idle = candidate == null ? -1 : candidate.idleNanos();
            if (candidate != null && idle > oldestIdle) {
                oldestPool = pool;
                oldest = candidate;
                oldestIdle = idle;
            }
        }
        if (oldest == null) {
            return false;
        }
        if (oldestPool.stopIdle(oldest)) {
            log.info("event=idle_instance_stopped reason=instance_memory function={} idle_ms={}",
                    oldestPool.functionName(), oldestIdle / 1_000_000);
        }
        return true;
    }

    private static String key(String functionName, int version) {
        return functionName + "@" + version;
    }
}
