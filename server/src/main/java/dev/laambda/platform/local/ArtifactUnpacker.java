package dev.laambda.platform.local;

import dev.laambda.Directories;
import dev.laambda.LaambdaException;
import dev.laambda.build.ArtifactStore;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;

/**
 * Unpacks each artifact once per app, as APP_ID/SHA256, into a read-only directory that every instance of every
 * release of the app with that artifact shares: a rollback to a known artifact unpacks nothing. Keyed by the
 * app's id, so destroying an app removes its code (see AppDirectories) and no other app's instances ever mount it.
 */
public final class ArtifactUnpacker {

    private final ArtifactStore store;
    private final Path root;

    public ArtifactUnpacker(ArtifactStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    public synchronized Path unpacked(long appId, String sha256) {
        Path appDir = root.resolve(Long.toString(appId));
        Path target = appDir.resolve(sha256);
        if (Files.isDirectory(target)) {
            return target;
        }
        if (!store.contains(sha256)) {
            // Another server built it into its own disk (no LAAMBDA_S3_BUCKET then; README, "Scaling out").
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "artifact_not_here", "The code of this "
                    + "release (artifact " + sha256.substring(0, 12) + "…) is not in this server's artifact store: "
                    + "give every server the same LAAMBDA_S3_BUCKET, or use the server the app was pushed to.");
        }
        Path staging = appDir.resolve(sha256 + ".partial");
        try {
            Directories.deleteTree(staging);
            Files.createDirectories(staging);
            try (ZipFile zip = ZipFile.builder().setPath(store.localCopy(sha256)).get()) {
                Enumeration<ZipArchiveEntry> entries = zip.getEntries();
                while (entries.hasMoreElements()) {
                    write(zip, entries.nextElement(), staging);
                }
            }
            readOnly(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack artifact " + sha256 + ": " + e.getMessage(), e);
        }
    }

    private static void write(ZipFile zip, ZipArchiveEntry entry, Path root) throws IOException {
        Path file = root.resolve(entry.getName()).normalize();
        if (!file.startsWith(root)) {
            throw new IOException("entry outside the artifact: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(file);
            return;
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
            if (entry.isUnixSymlink()) {
                Files.createSymbolicLink(file, Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                return;
            }
            Files.copy(in, file);
        }
        boolean executable = (entry.getUnixMode() & 0111) != 0;
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "r-xr-xr-x" : "r--r--r--"));
    }

    /** Code at /var/task is read-only on Lambda; so it is here. */
    private static void readOnly(Path root) throws IOException {
        try (var dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            }
        }
    }
}
