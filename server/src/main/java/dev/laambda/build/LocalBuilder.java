package dev.laambda.build;

import dev.laambda.Directories;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs buildpacks as processes on the server's host, for machines without Docker. A build sees only the
 * {@link BuildEnvironment} allowlist, streams its output as it comes, and is killed, with every process
 * it started, when it overruns its time.
 */
public final class LocalBuilder implements Builder {

    private static final int LAST_LINES = 20;
    private static final long POLL_MILLIS = 200;
    /** Config var names as ConfigVars accepts them; anything else could not be a file name in ENV_DIR. */
    private static final Pattern CONFIG_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private final BuildEnvironment environment;
    private final Duration timeout;

    public LocalBuilder(BuildEnvironment environment, Duration timeout) {
        this.environment = environment;
        this.timeout = timeout;
    }

    @Override
    public String description() {
        return "local processes (no Docker: builds run on the server's host)";
    }

    @Override
    public void compile(Buildpack buildpack, Path buildDir, Path cacheDir, Map<String, String> config, Consumer<String> out) {
        Path envDir = null;
        try {
            envDir = Files.createTempDirectory("laambda-env");
            writeEnvDir(envDir, config);
            ProcessBuilder builder = new ProcessBuilder(List.of(buildpack.bin("compile").toString(), buildDir.toString(),
                    cacheDir.toString(), envDir.toString())).directory(buildDir.toFile()).redirectErrorStream(true);
            environment.applyTo(builder, Map.of("STACK", "laambda-local", "LAAMBDA_BUILDER", "local"));
            run(builder, buildpack, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + buildpack.name() + " bin/compile: " + e.getMessage(), e);
        } finally {
            if (envDir != null) {
                Directories.deleteTree(envDir);
            }
        }
    }

    /** Heroku's ENV_DIR: one file per config var, named for it, holding its value. The directory is private (0700). */
    private static void writeEnvDir(Path envDir, Map<String, String> config) throws IOException {
        for (Map.Entry<String, String> var : config.entrySet()) {
            if (!CONFIG_KEY.matcher(var.getKey()).matches()) {
                throw new IllegalArgumentException("Not a config var name: " + var.getKey());
            }
            Files.writeString(envDir.resolve(var.getKey()), var.getValue());
        }
    }

    private void run(ProcessBuilder builder, Buildpack buildpack, Consumer<String> out) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = builder.start();
        process.getOutputStream().close();
        OutputPump output = new OutputPump(process.getInputStream(), out);
        Set<ProcessHandle> started = new HashSet<>();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(started::add);
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(process, started, output, buildpack);
                }
            }
            // Whatever it left running in the background is part of the build, and the build is over.
            started.forEach(ProcessHandle::destroyForcibly);
            if (!output.awaitEnd(Math.max(0, deadline - System.nanoTime()))) {
                throw timedOut(process, started, output, buildpack);
            }
            if (process.exitValue() != 0) {
                throw new BuildFailedException("Build failed: " + buildpack.name() + " bin/compile exited with status "
                        + process.exitValue() + ".", output.lastLines());
            }
        } catch (InterruptedException e) {
            killTree(process, started);
            Thread.currentThread().interrupt();
            throw new BuildFailedException("Build interrupted: the server is stopping.", output.lastLines());
        }
    }

    private BuildFailedException timedOut(Process process, Set<ProcessHandle> started, OutputPump output,
                                          Buildpack buildpack) throws InterruptedException {
        killTree(process, started);
        output.awaitEnd(TimeUnit.SECONDS.toNanos(5));
        return new BuildFailedException("Build timed out after " + describe(timeout) + ": " + buildpack.name()
                + " bin/compile was stopped (LAAMBDA_BUILD_TIMEOUT).", output.lastLines());
    }

    /** The process, its current descendants, and any seen earlier whose parent has since exited. */
    private static void killTree(Process process, Set<ProcessHandle> started) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        started.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 60 && seconds % 60 == 0 ? (seconds / 60) + " min" : seconds + " s";
    }

    /**
     * Reads the build's merged stdout and stderr on its own thread, handing each line on as soon as it is
     * complete and keeping the last few for the error report. It keeps draining even if {@code out} fails
     * (a client that hung up), so the build never blocks on a full pipe.
     */
    private static final class OutputPump {

        private final Deque<String> last = new ArrayDeque<>();
        private final Thread thread;

        OutputPump(InputStream stream, Consumer<String> out) {
            this.thread = new Thread(() -> pump(stream, out), "build-output");
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(InputStream stream, Consumer<String> out) {
            boolean forwarding = true;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    remember(line);
                    if (forwarding) {
                        try {
                            out.accept(line);
                        } catch (RuntimeException clientGone) {
                            forwarding = false;
                        }
                    }
                }
            } catch (IOException killed) {
                // The process was killed mid-line; its exit status tells the rest.
            }
        }

        private void remember(String line) {
            synchronized (last) {
                last.addLast(line);
                if (last.size() > LAST_LINES) {
                    last.removeFirst();
                }
            }
        }

        /** True once the output has ended (every process holding it has exited) within {@code nanos}. */
        boolean awaitEnd(long nanos) throws InterruptedException {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            return !thread.isAlive();
        }

        List<String> lastLines() {
            synchronized (last) {
                return List.copyOf(last);
            }
        }
    }
}
