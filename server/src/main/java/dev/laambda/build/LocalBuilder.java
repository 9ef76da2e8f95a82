package dev.laambda.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs buildpacks as processes on the server's host, for machines without Docker. A build sees only the
 * {@link BuildEnvironment} allowlist and its own TMPDIR, streams its output as it comes, and is killed,
 * with every process it started, when it overruns its time or its disk quota.
 */
public final class LocalBuilder implements Builder {

    private static final long POLL_MILLIS = 200;

    private final BuildEnvironment environment;
    private final BuildLimits limits;

    /** Shares nothing between apps: a buildpack keeps what it would share (the PHP runtime layer) in the app's cache. */
    public LocalBuilder(BuildEnvironment environment, BuildLimits limits) {
        this.environment = environment;
        this.limits = limits;
    }

    @Override
    public String description() {
        return "local processes (no Docker: builds run on the server's host)";
    }

    @Override
    public void compile(BuildRequest request) {
        Buildpack buildpack = request.buildpack();
        Path buildDir = request.buildDir();
        Path cacheDir = request.cacheDir();
        try (EnvDir envDir = EnvDir.of(request); ScratchDir tmp = ScratchDir.besides(buildDir)) {
            ProcessBuilder builder = new ProcessBuilder(List.of(buildpack.bin("compile").toString(), buildDir.toString(),
                    cacheDir.toString(), envDir.path().toString())).directory(buildDir.toFile()).redirectErrorStream(true);
            environment.applyTo(builder, Map.of("STACK", "laambda-local", "LAAMBDA_BUILDER", "local",
                    "TMPDIR", tmp.path().toString()));
            run(builder, buildpack, List.of(buildDir, cacheDir, tmp.path()), request.out());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + buildpack.name() + " bin/compile: " + e.getMessage(), e);
        }
    }

    private void run(ProcessBuilder builder, Buildpack buildpack, List<Path> written, Consumer<String> out)
            throws IOException {
        long deadline = System.nanoTime() + limits.time().toNanos();
        Process process = builder.start();
        process.getOutputStream().close();
        OutputPump output = new OutputPump(process.getInputStream(), out);
        Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
        try (BuildDiskWatch disk = BuildDiskWatch.start(written, limits.diskBytes(), () -> killTree(process, started))) {
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
            if (disk.exceeded()) {
                throw limits.diskFull(buildpack, output.lastLines());
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
        return limits.timedOut(buildpack, output.lastLines());
    }

    /** The process, its current descendants, and any seen earlier whose parent has since exited. */
    private static void killTree(Process process, Set<ProcessHandle> started) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        started.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Reads the build's merged stdout and stderr on its own thread, handing each line on as soon as it is
     * complete (see {@link RecentLines}), so the build never blocks on a full pipe.
     */
    private static final class OutputPump {

        private final RecentLines recent;
        private final Thread thread;

        OutputPump(InputStream stream, Consumer<String> out) {
            this.recent = new RecentLines(out);
            this.thread = new Thread(() -> pump(stream), "build-output");
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(InputStream stream) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    recent.accept(line);
                }
            } catch (IOException killed) {
                // The process was killed mid-line; its exit status tells the rest.
            }
        }

        /** True once the output has ended (every process holding it has exited) within {@code nanos}. */
        boolean awaitEnd(long nanos) throws InterruptedException {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            return !thread.isAlive();
        }

        List<String> lastLines() {
            return recent.lines();
        }
    }
}
