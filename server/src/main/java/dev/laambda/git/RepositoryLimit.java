package dev.laambda.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How large one app's repository may grow (LAAMBDA_REPO_LIMIT). A push may send as many bytes of pack as
 * the repository has left; JGit stops reading at that and the push is refused with {@link #refusal()}.
 */
record RepositoryLimit(long bytes) {

    private static final String SETTING = dev.laambda.ServerConfig.REPO_LIMIT;

    /** Bytes a push may still add: the limit less what the repository's objects take now (never negative). */
    long remaining(Path gitDir) {
        return Math.max(0, bytes - size(gitDir.resolve("objects")));
    }

    String refusal() {
        return "This push would make the app's repository larger than its limit of " + human(bytes) + " (" + SETTING
                + "): push less history or fewer large files, or ask the operator to raise " + SETTING + ".";
    }

    private static long size(Path objects) {
        if (!Files.isDirectory(objects)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(objects)) {
            return files.filter(Files::isRegularFile).mapToLong(RepositoryLimit::sizeOf).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not measure " + objects + ": " + e.getMessage(), e);
        }
    }

    /** A file gone since it was listed (a concurrent push's temporary pack) takes no room. */
    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GB";
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20)).replace(".0 MB", " MB");
        }
        return bytes + " bytes";
    }
}
