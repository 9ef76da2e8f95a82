package dev.laambda.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Artifacts as files, ROOT/ab/abcdef….zip, written to a temporary name and moved into place atomically. */
public final class FileArtifactStore implements ArtifactStore {

    private final Path root;

    public FileArtifactStore(Path root) {
        this.root = root;
    }

    @Override
    public boolean contains(String sha256) {
        return Files.isRegularFile(localCopy(sha256));
    }

    @Override
    public boolean put(PackedArtifact artifact) {
        Path target = localCopy(artifact.sha256());
        if (Files.isRegularFile(target)) {
            return false;
        }
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), artifact.sha256(), ".partial");
            Files.copy(artifact.zip(), temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store artifact " + artifact.sha256() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path localCopy(String sha256) {
        if (!sha256.matches("^[0-9a-f]{64}$")) {
            throw new IllegalArgumentException("Not a sha256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256 + ".zip");
    }

    @Override
    public String uri(String sha256) {
        return localCopy(sha256).toUri().toString();
    }
}
