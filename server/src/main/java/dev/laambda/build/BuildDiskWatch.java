package dev.laambda.build;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A build's disk quota: measures the directories a build writes to once a second and, the first time
 * they hold more than the limit, stops the build. Measuring rather than a file-system quota works on any
 * host file system (overlay2 and ext4 without project quotas included); a build writing faster than the
 * watch measures may pass the limit by what it writes in a second before it is stopped.
 */
final class BuildDiskWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildDiskWatch.class);
    private static final long PERIOD_MILLIS = 1000;

    private final List<Path> dirs;
    private final long limitBytes;
    private final Runnable stop;
    private final AtomicBoolean exceeded = new AtomicBoolean();
    private final ScheduledExecutorService timer;

    private BuildDiskWatch(List<Path> dirs, long limitBytes, Runnable stop) {
        this.dirs = List.copyOf(dirs);
        this.limitBytes = limitBytes;
        this.stop = stop;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "build-disk-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts measuring {@code dirs}; {@code stop} is called once, on the watch's thread, if they outgrow the limit. */
    static BuildDiskWatch start(List<Path> dirs, long limitBytes, Runnable stop) {
        BuildDiskWatch watch = new BuildDiskWatch(dirs, limitBytes, stop);
        watch.timer.schedule(watch::measure, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    /** True when the build was stopped for its disk use. */
    boolean exceeded() {
        return exceeded.get();
    }

    /** Measures, then waits a second, or ten times as long as measuring took (a large cache), and measures again. */
    private void measure() {
        long started = System.nanoTime();
        long used = 0;
        for (Path dir : dirs) {
            used += bytesUnder(dir);
        }
        if (used > limitBytes) {
            exceeded.set(true);
            log.warn("event=build_disk_exceeded used_bytes={} limit_bytes={}", used, limitBytes);
            stop.run();
            return;
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        try {
            timer.schedule(this::measure, Math.max(PERIOD_MILLIS, 10 * tookMillis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException buildEnded) {
            // close() came while it measured: nothing more to watch.
        }
    }

    /** The bytes held by the regular files under {@code dir}; files that vanish while it counts don't count. */
    static long bytesUnder(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            log.warn("event=build_disk_unmeasured dir={} error={}", dir, e.getMessage());
        }
        return total[0];
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
