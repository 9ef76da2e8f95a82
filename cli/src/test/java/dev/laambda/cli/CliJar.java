package dev.laambda.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built CLI jar run as a separate process, as a person types `laambda ...`, with its own HOME. */
final class CliJar {

    private static final Path JAR = Path.of("target", "laambda-cli.jar").toAbsolutePath();

    private final Path home;
    private final Map<String, String> extraEnv;

    CliJar(Path home, Map<String, String> extraEnv) {
        this.home = home;
        this.extraEnv = extraEnv;
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: end-to-end tests run after `package` (mvn verify).");
        }
    }

    /** Exit status, standard output and standard error of one command. */
    record Result(int exitCode, String out, String err) {
        String both() {
            return out + err;
        }
    }

    /** A command left running (`logs --tail`): its output read line by line through a pipe, as a person's pager would. */
    static final class Running implements AutoCloseable {

        private final Process process;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        private final StringBuffer err = new StringBuffer();

        private Running(Process process) {
            this.process = process;
            Thread out = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)).lines().forEach(lines::add), "cli-out");
            Thread errors = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                    process.getErrorStream(), StandardCharsets.UTF_8)).lines().forEach(line -> err.append(line).append('\n')),
                    "cli-err");
            out.setDaemon(true);
            errors.setDaemon(true);
            out.start();
            errors.start();
        }

        /** The next line of its output that contains {@code text}, skipping others; fails after {@code seconds}. */
        String awaitLine(String text, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
            throw new AssertionError("no line with '" + text + "' within " + seconds + " s; stderr: " + err);
        }

        /** Ctrl-C, as a person stops it; its exit status. */
        int interrupt() throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("it did not stop on Ctrl-C");
            }
            return process.exitValue();
        }

        String err() {
            return err.toString();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    Running start(Path cwd, String... args) {
        try {
            Process process = builder(cwd, args).start();
            process.getOutputStream().close();
            return new Running(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder builder(Path cwd, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().remove("LAAMBDA_SERVER");
        builder.environment().remove("LAAMBDA_TOKEN");
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(extraEnv);
        return builder;
    }

    Result run(Path cwd, String... args) {
        try {
            Path stdout = Files.createTempFile("cli", ".out");
            Path stderr = Files.createTempFile("cli", ".err");
            Process process = builder(cwd, args).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("laambda " + String.join(" ", args) + " timed out");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
