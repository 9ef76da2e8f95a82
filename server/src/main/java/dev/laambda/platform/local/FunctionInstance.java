package dev.laambda.platform.local;

import dev.laambda.OutputLimits;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.InvokeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of one function of one release: a runtime (process or container) with its own
 * Runtime API endpoint, Lambda's environment, and the function's output framed by START/END/REPORT lines.
 * It serves one invocation at a time.
 */
final class FunctionInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FunctionInstance.class);

    private final FunctionSpec spec;
    private final RuntimeApiServer api;
    private final InstanceMemory.Hold memory;
    private final long startedNanos;
    private final InvocationOutput output = new InvocationOutput();
    /** What the runtime printed before it first asked for an event; null until then. */
    private volatile String initOutput;
    /** Starts the marker line awaitOutputDrained writes into the runtime's stdout; never in a function's output. */
    private static final String DRAIN_MARK = "\u0001laambda-output-drained-";
    private final java.util.concurrent.atomic.AtomicLong marks = new java.util.concurrent.atomic.AtomicLong();
    private volatile CompletableFuture<Void> drained;
    private volatile String expectedMark = "";
    private final Object drainLock = new Object();
    private volatile RuntimeProcess process;
    private boolean initReported;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long linesRead;
    private volatile boolean stoppedAtTimeout;

    private FunctionInstance(FunctionSpec spec, RuntimeApiServer api, InstanceMemory.Hold memory) {
        this.spec = spec;
        this.api = api;
        this.memory = memory;
        this.startedNanos = System.nanoTime();
    }

    /** Starts an instance that owns {@code memory} from now on: it gives it back when it fails to start, ends or closes. */
    static FunctionInstance start(FunctionSpec spec, Path codeDir, InstanceLauncher launcher, InstanceMemory.Hold memory) {
        RuntimeApiServer api;
        FunctionInstance instance;
        try {
            api = launcher.openRuntimeApi();
            instance = new FunctionInstance(spec, api, memory);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
        // Runs on the first `next`, before it is answered: the init phase's output is complete then.
        api.firstPoll().thenRun(instance::endInit);
        try {
            instance.process = launcher.start(spec, codeDir, api, instance::collect);
        } catch (RuntimeException e) {
            api.close();
            memory.close();
            throw e;
        }
        instance.process.exit().thenAccept(status -> {
            // A runtime that ended (crashed, killed at its memory limit) no longer uses its memory.
            memory.close();
            api.failAll(RuntimeApiServer.failure("Runtime.ExitError", "Runtime exited with error: exit status " + status));
        });
        return instance;
    }

    private void collect(String line) {
        int mark = line.indexOf(DRAIN_MARK);
        if (mark >= 0) {
            // Our own marker (see awaitOutputDrained), after whatever partial line the function left.
            if (mark > 0) {
                append(line.substring(0, mark));
            }
            CompletableFuture<Void> waiting = drained;
            if (waiting != null && line.endsWith(expectedMark)) {
                waiting.complete(null);
            }
            return;
        }
        append(line);
    }

    private void append(String line) {
        output.add(line);
        linesRead++;
    }

    /**
     * The runtime asked for its first event: what it printed so far (module-level prints, its runtime
     * client's banner) is init output, which Lambda's log shows before the first START line.
     */
    private void endInit() {
        awaitOutputDrained();
        initOutput = output.take();
    }

    /** Runs one event; the instance is dead afterwards when it timed out or its runtime exited. */
    synchronized InvokeResult invoke(byte[] payload, Optional<String> clientContext) {
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        long deadline = System.currentTimeMillis() + spec.timeoutS() * 1000L;
        boolean first = !initReported;
        if (!first) {
            output.reset();
        }
        Invocation invocation = new Invocation(requestId, payload, deadline,
                "arn:aws:lambda:" + spec.region() + ":000000000000:function:" + spec.functionName(),
                "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + UUID.randomUUID().toString()
                        .replace("-", "").substring(0, 24) + ";Sampled=0", clientContext.orElse(null), null,
                new CompletableFuture<>());
        InvokeResult result;
        String timedOut = null;
        try {
            InvocationResult outcome = api.submit(invocation).get(spec.timeoutS() * 1000L, TimeUnit.MILLISECONDS);
            result = outcome instanceof InvocationResult.Failure failure
                    ? new InvokeResult(failure.body(), "Unhandled", "", "")
                    : new InvokeResult(((InvocationResult.Success) outcome).payload(), null, "", "");
        } catch (TimeoutException e) {
            stoppedAtTimeout = true;
            close();
            timedOut = String.format(Locale.ROOT, "%s %s Task timed out after %d.00 seconds", Instant.now(), requestId,
                    spec.timeoutS());
            result = new InvokeResult(RuntimeApiServer.failure("Sandbox.Timedout", timedOut).body(), "Unhandled", "", "");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double duration = (System.nanoTime() - start) / 1e6;
        awaitOutputDrained();
        StringBuilder invocationLog = new StringBuilder();
        if (first) {
            // A runtime that never asked for an event printed only init output (its crash, say).
            String init = initOutput;
            invocationLog.append(init != null ? init : output.take());
        }
        line(invocationLog, "START RequestId: " + requestId + " Version: " + spec.releaseVersion());
        invocationLog.append(output.take());
        if (output.droppedBytes() > 0) {
            line(invocationLog, OutputLimits.truncationMarker(output.droppedBytes()));
        }
        if (timedOut != null) {
            line(invocationLog, timedOut);
        }
        line(invocationLog, "END RequestId: " + requestId);
        String report = String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                        + "Memory Size: %d MB\tMax Memory Used: %d MB", requestId, duration, (long) Math.ceil(duration),
                spec.memoryMb(), process.peakMemoryMb());
        if (!initReported) {
            initReported = true;
            report += String.format(Locale.ROOT, "\tInit Duration: %.2f ms", (start - startedNanos) / 1e6);
        }
        line(invocationLog, report);
        lastUsedNanos = System.nanoTime();
        return new InvokeResult(result.payload(), result.functionError(), invocationLog.toString(),
                String.valueOf(spec.releaseVersion()));
    }

    /** The last invocation ran past the function's timeout (the instance was stopped then). */
    boolean timedOut() {
        return stoppedAtTimeout;
    }

    boolean alive() {
        return process.alive();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    @Override
    public void close() {
        try {
            process.close();
            api.close();
        } finally {
            memory.close();
        }
    }

    /**
     * A runtime writes its last lines just before it posts the result, so they are in its output pipe but
     * maybe not yet read. Writing a marker line into that same pipe (/proc/PID/fd/1: the runtime's own
     * stdout, FIFO) and waiting until the reader reaches it proves everything before it has been read.
     * Where the pipe cannot be opened (another user's process), wait until the output has been quiet for
     * 2 ms instead (at most 20 ms).
     */
    private void awaitOutputDrained() {
        synchronized (drainLock) {
            awaitDrainedMark();
        }
    }

    private void awaitDrainedMark() {
        RuntimeProcess running = process;
        // A runtime that polls before its launcher returned (a fast one in a container) has no pid yet here.
        long pid = running == null ? -1 : running.pid();
        if (pid > 0) {
            String mark = DRAIN_MARK + marks.incrementAndGet();
            CompletableFuture<Void> done = new CompletableFuture<>();
            expectedMark = mark;
            drained = done;
            try {
                Files.write(Path.of("/proc", String.valueOf(pid), "fd", "1"), (mark + "\n").getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                done.get(200, TimeUnit.MILLISECONDS);
                return;
            } catch (IOException | ExecutionException | TimeoutException e) {
                log.debug("event=drain_marker_unavailable function={} error={}", spec.functionName(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                drained = null;
            }
        }
        try {
            for (int i = 0; i < 10; i++) {
                long before = linesRead;
                Thread.sleep(2);
                if (linesRead == before) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void line(StringBuilder log, String line) {
        log.append(line).append('\n');
    }
}
