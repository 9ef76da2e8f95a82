package dev.laambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory. At start a server clears what a killed one left there (build containers, build
 * workspaces, a stray PostgreSQL); a second server on the same directory must not take the first's for leftovers.
 * The lock is the kernel's (fcntl): it goes with the process, so a SIGKILL never leaves it held.
 */
public final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "server.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw inUse(dataDir);
            }
            return new DataDirLock(channel, lock);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // Another server in this JVM holds it.
            closeQuietly(channel);
            throw inUse(dataDir);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Could not lock the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static LaambdaException inUse(Path dataDir) {
        return new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "data_dir_in_use", "Another Laambda server is using "
                + dataDir + ": stop that server, or give this one another data directory (LAAMBDA_DATA)");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was locked.
            }
        }
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unlock the data directory: " + e.getMessage(), e);
        }
    }
}
