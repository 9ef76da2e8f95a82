package dev.laambda.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Who a build container runs as. A build runs tenant code, so never as root: when the server is root, as
 * {@link DockerBuilder#BUILD_USER}, which is then given the build's own directories (source, the app's cache,
 * ENV_DIR, scratch) and nothing else; otherwise as the server's own user, who owns them already.
 */
final class BuildUser {

    private BuildUser() {
    }

    /** Makes {@code dirs} (and everything in them) the build user's where they are not yet; returns "uid:gid". */
    static String give(List<Path> dirs) {
        try {
            int serverUid = (Integer) Files.getAttribute(dirs.get(0), "unix:uid");
            if (serverUid != 0) {
                return serverUid + ":" + Files.getAttribute(dirs.get(0), "unix:gid");
            }
            for (Path dir : dirs) {
                // A cache the build user made already is theirs throughout: only a tree whose top is not is walked.
                if (!ownedByBuildUser(dir)) {
                    try (Stream<Path> tree = Files.walk(dir)) {
                        for (Path path : tree.toList()) {
                            if (!ownedByBuildUser(path)) {
                                Files.setAttribute(path, "unix:uid", DockerBuilder.BUILD_USER, LinkOption.NOFOLLOW_LINKS);
                                Files.setAttribute(path, "unix:gid", DockerBuilder.BUILD_USER, LinkOption.NOFOLLOW_LINKS);
                            }
                        }
                    }
                }
            }
            return DockerBuilder.BUILD_USER + ":" + DockerBuilder.BUILD_USER;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not give the build its directories: " + e.getMessage(), e);
        }
    }

    private static boolean ownedByBuildUser(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == DockerBuilder.BUILD_USER;
    }
}
