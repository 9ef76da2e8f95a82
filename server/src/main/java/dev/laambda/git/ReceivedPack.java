package dev.laambda.git;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The pack one push wrote into an app's repository, found while JGit still holds it locked: JGit writes a
 * {@code pack-<sha>.keep} file holding the lock message, which carries this push's unique tag. When no ref
 * of the push was updated, the pack is deleted, so a rejected push leaves the repository as it was.
 */
final class ReceivedPack {

    private static final Logger log = LoggerFactory.getLogger(ReceivedPack.class);
    private static final List<String> PACK_FILES = List.of(".pack", ".idx", ".rev", ".bitmap", ".keep");

    /** Goes into the reflog name and so into JGit's lock message: unique per push. */
    private final String tag = "push-" + UUID.randomUUID();
    private Path packDir;
    private Optional<String> baseName = Optional.empty();

    String tag() {
        return tag;
    }

    /** Call while the pack is still locked (in the pre-receive hook); remembers which pack is this push's. */
    void find(Path gitDir) {
        packDir = gitDir.resolve("objects").resolve("pack");
        try (DirectoryStream<Path> keeps = Files.newDirectoryStream(packDir, "pack-*.keep")) {
            for (Path keep : keeps) {
                if (lockMessage(keep).contains(tag)) {
                    String name = keep.getFileName().toString();
                    baseName = Optional.of(name.substring(0, name.length() - ".keep".length()));
                    return;
                }
            }
        } catch (IOException e) {
            log.warn("event=received_pack_not_found dir={} error={}", packDir, e.getMessage());
        }
    }

    /** Deletes the pack (call once the repository is closed); returns whether there was one. */
    boolean delete() {
        if (baseName.isEmpty()) {
            return false;
        }
        for (String suffix : PACK_FILES) {
            Path file = packDir.resolve(baseName.get() + suffix);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("event=received_pack_delete_failed file={} error={}", file, e.getMessage());
            }
        }
        return true;
    }

    private static String lockMessage(Path keep) {
        try {
            return Files.readString(keep, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
