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
 * One execution environment of one function of one release: a runtime process with its own Runtime API
 * endpoint, Lambda's environment, and the function's output framed by START/END/REPORT lines.
 * It serves one invocation at a time.
 */
final class FunctionInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FunctionInstance.class);

    private final FunctionSpec spec;
    private final RuntimeApiServer api;
    private final Process process;
    private final long startedNanos;
    private final StringBuilder output = new StringBuilder();
    private boolean initReported;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long linesRead;

    private FunctionInstance(FunctionSpec spec, RuntimeApiServer api, Process process) {
        this.spec = spec;
        this.api = api;
        this.process = process;
        this.startedNanos = System.nanoTime();
    }

    static FunctionInstance start(FunctionSpec spec, Path codeDir, RuntimeLauncher launcher) {
        RuntimeLauncher.Launch launch = launcher.launch(spec.runtime(), spec.handler(), codeDir);
        RuntimeApiServer api = RuntimeApiServer.start();
        try {
            Path tmp = Files.createTempDirectory("laambda-tmp-" + spec.functionName());
            ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(codeDir.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(lambdaEnvironment(spec, codeDir, api.address(), tmp));
            env.putAll(spec.environment());
            env.putAll(launch.environment());
            FunctionInstance instance = new FunctionInstance(spec, api, builder.start());
            instance.captureOutput();
            instance.process.onExit().thenRun(() -> api.failAll(RuntimeApiServer.failure("Runtime.ExitError",
                    "Runtime exited with error: exit status " + instance.process.exitValue())));
            return instance;
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("Could not start " + spec.functionName() + ": " + e.getMessage(), e);
        }
    }

    /** The environment Lambda gives every function (REFERENCE.md); the release's config is added on top. */
    static Map<String, String> lambdaEnvironment(FunctionSpec spec, Path codeDir, String runtimeApi, Path tmp) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LD_LIBRARY_PATH", "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib");
        env.put("TMPDIR", tmp.toString());
        env.put("HOME", tmp.toString());
        env.put("_HANDLER", spec.handler());
        env.put("AWS_REGION", spec.region());
        env.put("AWS_DEFAULT_REGION", spec.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", String.valueOf(spec.releaseVersion()));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", Instant.now().toString().substring(0, 10).replace('-', '/')
                + "/[" + spec.releaseVersion() + "]" + UUID.randomUUID().toString().replace("-", ""));
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", codeDir.toString());
        env.put("LAMBDA_RUNTIME_DIR", codeDir.toString());
        return env;
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
                spec.memoryMb(), maxMemoryUsedMb());
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
        return process.isAlive();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        api.close();
    }

    private void captureOutput() {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    linesRead++;
                }
            } catch (IOException e) {
                log.debug("event=instance_output_closed function={}", spec.functionName());
            }
        }, "instance-output-" + spec.functionName());
        reader.setDaemon(true);
        reader.start();
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

    /** The runtime process's peak resident memory (VmHWM), as Lambda's REPORT shows it. */
    private long maxMemoryUsedMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("event=memory_unknown function={}", spec.functionName());
        }
        return 0;
    }

    private static void line(StringBuilder log, String line) {
        log.append(line).append('\n');
    }
}
