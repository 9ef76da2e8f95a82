package dev.laambda.store;

import dev.laambda.LaambdaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The PostgreSQL an earlier Laambda left running on the data directory. zonky starts PostgreSQL as a process of its own,
 * so when the server is killed (SIGKILL, the OOM killer) PostgreSQL lives on; a new one would refuse the data directory
 * (postmaster.pid names a live process) and zonky would wait its whole startup time, then give up.
 *
 * <p>It is stopped, not reused: Laambda would need its port and could not hand it to zonky, and a fast shutdown
 * (pg_ctl -m fast) loses nothing that was committed. A postmaster.pid whose PID now belongs to some other process
 * (recycled after a reboot or a container restart) is never acted on by signal: only the file is removed.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    static final String PID_FILE = "postmaster.pid";
    /** A fast shutdown ends the sessions and writes a checkpoint; a large checkpoint may take a while. */
    static final Duration STOP_WAIT = Duration.ofSeconds(50);

    private StalePostmaster() {
    }

    /** Stops the PostgreSQL still running on {@code dataDir}, if any; removes a lock file that names someone else. */
    static void clear(Path dataDir, PostgresBinaries binaries) throws IOException {
        Optional<Long> named = pidInFile(dataDir);
        if (named.isEmpty()) {
            return;
        }
        long pid = named.get();
        if (!running(pid)) {
            // Gone: PostgreSQL clears a stale file itself. It takes an exited process that its parent has not reaped
            // yet (a zombie) for a live one, though, so give the reaper a moment.
            await(() -> ProcessHandle.of(pid).isEmpty(), Duration.ofSeconds(10));
            return;
        }
        if (!isPostgresOf(pid, dataDir)) {
            // PostgreSQL would see a live PID and refuse to start; the process is not ours, so it is left alone.
            Files.deleteIfExists(dataDir.resolve(PID_FILE));
            log.warn("event=stale_postgres_pid_file_removed pid={} data_dir={} reason=\"the process is not a PostgreSQL of this data directory\"",
                    pid, dataDir);
            return;
        }
        binaries.stop(dataDir, STOP_WAIT);
        if (!await(() -> !running(pid), Duration.ofSeconds(10))) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "postgres_still_running",
                    "A PostgreSQL left by an earlier start (pid " + pid + ") still runs on " + dataDir
                            + " and did not stop: stop it (kill " + pid + ") and start Laambda again");
        }
        log.warn("event=stale_postgres_stopped pid={} data_dir={}", pid, dataDir);
    }

    /** The postmaster's PID: the first line of postmaster.pid (PostgreSQL's docs: PID, data dir, start time, port, socket dir, …). */
    static Optional<Long> pidInFile(Path dataDir) throws IOException {
        String content;
        try {
            content = Files.readString(dataDir.resolve(PID_FILE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String first = content.lines().findFirst().orElse("").strip();
        try {
            long pid = Long.parseLong(first);
            return pid > 0 ? Optional.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code pid} is a PostgreSQL server working in {@code dataDir}: its command is postgres and its working
     * directory is the data directory (a postmaster changes into it at start). Compared as files, not as text, so another
     * path to the same directory still matches. A process we may not inspect (another user's) is not one we started.
     */
    static boolean isPostgresOf(long pid, Path dataDir) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            return Files.readString(proc.resolve("comm")).strip().equals("postgres")
                    && Files.isSameFile(proc.resolve("cwd"), dataDir);
        } catch (IOException e) {
            return false;
        }
    }

    /** Alive and not a zombie (a zombie holds its PID until its parent reaps it, but runs nothing). */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // pid (comm) state …: the command may hold spaces and parentheses, the state follows the last ')'.
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException | IndexOutOfBoundsException e) {
                return false;
            }
        }
        return false;
    }

    /** Waits until {@code done} holds or the time is up; returns whether it holds. */
    private static boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
