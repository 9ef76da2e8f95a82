package dev.laambda.platform.local;

import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.InvokeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
    private final long startedNanos;
    private final StringBuilder output = new StringBuilder();
    private RuntimeProcess process;
    private boolean initReported;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long linesRead;

    private FunctionInstance(FunctionSpec spec, RuntimeApiServer api) {
        this.spec = spec;
        this.api = api;
        this.startedNanos = System.nanoTime();
    }

    static FunctionInstance start(FunctionSpec spec, Path codeDir, InstanceLauncher launcher) {
        RuntimeApiServer api = RuntimeApiServer.start();
        FunctionInstance instance = new FunctionInstance(spec, api);
        try {
            instance.process = launcher.start(spec, codeDir, api.address(), instance::collect);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        instance.process.exit().thenAccept(status -> api.failAll(RuntimeApiServer.failure("Runtime.ExitError",
                "Runtime exited with error: exit status " + status)));
        return instance;
    }

    private void collect(String line) {
        synchronized (output) {
            output.append(line).append('\n');
        }
        linesRead++;
    }

    /** Runs one event; the instance is dead afterwards when it timed out or its runtime exited. */
    synchronized InvokeResult invoke(byte[] payload) {
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        long deadline = System.currentTimeMillis() + spec.timeoutS() * 1000L;
        StringBuilder invocationLog = new StringBuilder();
        line(invocationLog, "START RequestId: " + requestId + " Version: " + spec.releaseVersion());
        synchronized (output) {
            output.setLength(0);
        }
        Invocation invocation = new Invocation(requestId, payload, deadline,
                "arn:aws:lambda:" + spec.region() + ":000000000000:function:" + spec.functionName(),
                "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + UUID.randomUUID().toString()
                        .replace("-", "").substring(0, 24) + ";Sampled=0", null, null, new CompletableFuture<>());
        InvokeResult result;
        try {
            InvocationResult outcome = api.submit(invocation).get(spec.timeoutS() * 1000L, TimeUnit.MILLISECONDS);
            result = outcome instanceof InvocationResult.Failure failure
                    ? new InvokeResult(failure.body(), "Unhandled", "", "")
                    : new InvokeResult(((InvocationResult.Success) outcome).payload(), null, "", "");
        } catch (TimeoutException e) {
            close();
            String message = String.format(Locale.ROOT, "%s %s Task timed out after %d.00 seconds", Instant.now(), requestId,
                    spec.timeoutS());
            result = new InvokeResult(RuntimeApiServer.failure("Sandbox.Timedout", message).body(), "Unhandled", "", "");
            output.append(message).append('\n');
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitOutputDrained();
        synchronized (output) {
            invocationLog.append(output);
        }
        double duration = (System.nanoTime() - start) / 1e6;
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

    boolean alive() {
        return process.alive();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    @Override
    public void close() {
        process.close();
        api.close();
    }

    /**
     * A runtime writes its last lines just before it posts the result, so they are already in the pipe:
     * wait until the output reader has gone 2 ms without a new line (at most 20 ms).
     */
    private void awaitOutputDrained() {
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
