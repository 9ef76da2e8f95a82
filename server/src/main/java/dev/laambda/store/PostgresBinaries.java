package dev.laambda.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * zonky's PostgreSQL binaries, and the two things Laambda runs with them itself: a statement in single-user mode (no
 * server, no connection) on a data directory before PostgreSQL starts on it, and pg_ctl stop for one an earlier start left. zonky unpacks the archive into
 * {@code <working dir>/PG-<md5 of the archive>}; this resolver notes the digest as zonky reads the archive (a new instance
 * per start: zonky caches its answer per resolver instance, and an earlier start in this JVM may have used another dir).
 */
final class PostgresBinaries implements PgBinaryResolver {

    private final Path workingDir;
    private final MessageDigest md5;
    private Path home;

    PostgresBinaries(Path workingDir) {
        this.workingDir = workingDir;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        md5.reset();
        return new DigestInputStream(DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware), md5);
    }

    /**
     * Runs one SQL statement in single-user mode and returns what it printed.
     * Never pass this output on: PostgreSQL repeats the statement and its result, which may hold a password's hash.
     */
    String runSingleUser(Path dataDir, String statement) throws IOException {
        Result result = run(statement + "\n", "postgres", "--single", "-D", dataDir.toString(), "postgres");
        // Single-user mode reports a failed statement on its output and still exits 0.
        if (result.exit() != 0 || result.output().contains("ERROR:") || result.output().contains("FATAL:")) {
            throw new IOException("PostgreSQL in single-user mode failed (exit " + result.exit() + "): " + firstProblem(result.output()));
        }
        return result.output();
    }

    /**
     * Stops the PostgreSQL running on {@code dataDir} with a fast shutdown (sessions end, committed work is kept) and
     * waits until it is gone. pg_ctl signals the PID in postmaster.pid: check that process first.
     */
    void stop(Path dataDir, Duration wait) throws IOException {
        Result result = run("", "pg_ctl", "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", String.valueOf(wait.toSeconds()));
        if (result.exit() != 0) {
            throw new IOException("pg_ctl could not stop the PostgreSQL on " + dataDir + " (exit " + result.exit() + "): "
                    + result.output().strip().lines().reduce((first, last) -> last).orElse("no message"));
        }
    }

    private record Result(int exit, String output) {
    }

    /** One of the binaries; as root inside a user namespace, as zonky does (PostgreSQL refuses to run as root). */
    private Result run(String input, String binary, String... arguments) throws IOException {
        Path executable = home().resolve("bin").resolve(binary);
        if (!Files.isExecutable(executable)) {
            throw new IOException("zonky's PostgreSQL binaries are not where Laambda expects them (" + executable + ")");
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(binary + " did not finish within 60 seconds");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + binary + " ran", e);
        }
        return new Result(process.exitValue(), output);
    }

    /** Where zonky unpacked the archive it read through {@link #getPgBinary}. */
    private Path home() {
        if (home == null) {
            home = workingDir.resolve("PG-" + HexFormat.of().formatHex(md5.digest()));
        }
        return home;
    }

    private static String firstProblem(String output) {
        return output.lines().filter(line -> line.contains("ERROR:") || line.contains("FATAL:")).findFirst()
                .map(String::strip).orElse("no error message");
    }
}
