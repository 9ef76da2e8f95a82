package dev.laambda.build;

import dev.laambda.Directories;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs buildpacks as processes on the server's host, for machines without Docker. */
public final class LocalBuilder implements Builder {

    private static final int LAST_LINES = 20;

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
            for (Map.Entry<String, String> var : config.entrySet()) {
                Files.writeString(envDir.resolve(var.getKey()), var.getValue());
            }
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

    private void run(ProcessBuilder builder, Buildpack buildpack, Consumer<String> out) throws IOException {
        Process process = builder.start();
        process.getOutputStream().close();
        Deque<String> last = new ArrayDeque<>();
        Thread reader = new Thread(() -> stream(process, out, last), "build-output");
        reader.start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
                reader.join(5_000);
                throw new BuildFailedException("Build timed out after " + describe(timeout) + ": " + buildpack.name()
                        + " bin/compile was stopped (LAAMBDA_BUILD_TIMEOUT).", snapshot(last));
            }
            reader.join();
            if (process.exitValue() != 0) {
                throw new BuildFailedException("Build failed: " + buildpack.name() + " bin/compile exited with status "
                        + process.exitValue() + ".", snapshot(last));
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new BuildFailedException("Build interrupted: the server is stopping.", snapshot(last));
        }
    }

    private static void stream(Process process, Consumer<String> out, Deque<String> last) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (last) {
                    last.addLast(line);
                    if (last.size() > LAST_LINES) {
                        last.removeFirst();
                    }
                }
                out.accept(line);
            }
        } catch (IOException | UncheckedIOException e) {
            // The process was killed or the client went away; the exit status tells the rest.
        }
    }

    private static List<String> snapshot(Deque<String> last) {
        synchronized (last) {
            return List.copyOf(last);
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? (seconds / 60) + " min" : seconds + " s";
    }
}
