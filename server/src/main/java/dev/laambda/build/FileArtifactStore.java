package dev.laambda.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Artifacts as files, ROOT/ab/abcdef….zip. Each is written and synced under a temporary name in the same
 * directory, then linked to its final name in one step, so the final name only ever holds a whole
 * artifact whose bytes match it, and of two servers storing the same sha exactly one stores it.
 */
public final class FileArtifactStore implements ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final Path root;

    public FileArtifactStore(Path root) {
        this.root = root;
    }

    @Override
    public boolean contains(String sha256) {
        return Files.isRegularFile(localCopy(sha256));
    }

    @Override
    public StoredArtifact put(PackedArtifact artifact) {
        String sha = artifact.sha256();
        Path target = localCopy(sha);
        if (Files.isRegularFile(target)) {
            return new StoredArtifact(sha, uri(sha), false);
        }
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(target.getParent(), sha, ".partial");
            copyChecked(artifact.zip(), temporary, sha);
            boolean stored = publish(temporary, target);
            syncDirectory(target.getParent());
            return new StoredArtifact(sha, uri(sha), stored);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store artifact " + sha + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    @Override
    public Path localCopy(String sha256) {
        requireSha256(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256 + ".zip");
    }

    @Override
    public String uri(String sha256) {
        return localCopy(sha256).toUri().toString();
    }

    @Override
    public void delete(String sha256) {
        try {
            Files.deleteIfExists(localCopy(sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete artifact " + sha256 + ": " + e.getMessage(), e);
        }
    }

    /** Artifact names are 64 lowercase hex digits: nothing else may become a file or object name. */
    static void requireSha256(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a sha256: " + sha256);
        }
    }

    /** Copies and syncs to disk, refusing bytes that do not hash to the name they will be stored under. */
    private static void copyChecked(Path source, Path temporary, String sha) throws IOException {
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        String actual = Sha256.of(temporary);
        if (!actual.equals(sha)) {
            throw new IOException(source + " hashes to " + actual + ", not to " + sha);
        }
    }

    /**
     * A hard link fails if the name exists, so the first writer wins and later ones learn they stored
     * nothing. On a file system without hard links, an atomic rename (which replaces) does instead.
     */
    private static boolean publish(Path temporary, Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
            return true;
        } catch (FileAlreadyExistsException alreadyStored) {
            return false;
        } catch (UnsupportedOperationException | IOException noHardLinks) {
            if (Files.isRegularFile(target)) {
                return false;
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    /** Makes the new name itself survive a power loss, as PostgreSQL will soon say the artifact exists. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupportedHere) {
            // Some systems cannot open a directory for syncing; the file's own data is synced already.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover *.partial is never read: only names without the suffix are artifacts.
        }
    }
}
