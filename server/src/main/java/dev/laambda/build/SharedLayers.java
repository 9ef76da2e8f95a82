package dev.laambda.build;

import dev.laambda.Directories;
import dev.laambda.docker.Container;
import dev.laambda.docker.ContainerSpec;
import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.SandboxNetwork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a buildpack shares between apps (the PHP runtime layer), built by its {@code bin/shared-layers} in a
 * build container that holds no app's files, hooks, config or cache, then published read-only under a key of
 * what went into it (the build image and the buildpack's scripts): an app's build mounts it read-only, so no
 * tenant can change what another tenant's build ships.
 */
final class SharedLayers {

    private static final String SCRIPT = "bin/shared-layers";
    private static final String COMPLETE = ".published";

    private final DockerEngine docker;
    private final Path root;
    private final Path buildpacksDir;
    private final SandboxNetwork network;

    /** Publishes under {@code root}; builds them on {@code network} as app builds are built, with no app in sight. */
    SharedLayers(DockerEngine docker, Path root, Path buildpacksDir, SandboxNetwork network) {
        this.docker = docker;
        this.root = root;
        this.buildpacksDir = buildpacksDir;
        this.network = network;
    }

    /** The buildpack's published layers for {@code image}, built first when missing; empty when it shares nothing. */
    Optional<Path> forBuild(Buildpack buildpack, String image, Consumer<String> out) {
        Path script = buildpack.dir().resolve(SCRIPT);
        if (!Files.isExecutable(script)) {
            return Optional.empty();
        }
        try {
            Path published = root.resolve(buildpack.name()).resolve(key(buildpack, image));
            if (Files.exists(published.resolve(COMPLETE))) {
                return Optional.of(published);
            }
            Files.createDirectories(published.getParent());
            Path staging = Files.createTempDirectory(published.getParent(), ".staging");
            Path scratch = Files.createTempDirectory(published.getParent(), ".scratch");
            try {
                // No source, no ENV_DIR, no app cache: nothing of any app's is in this container.
                ContainerSpec spec = new ContainerSpec(image, List.of("/buildpacks/" + buildpack.name() + "/" + SCRIPT),
                        List.of("/tmp/shared-out"), Map.of("PATH", DockerBuilder.SYSTEM_PATH, "HOME", "/tmp"),
                        BuildUser.give(List.of(staging, scratch)), "/tmp",
                        List.of(new ContainerSpec.Mount(staging, "/tmp/shared-out", false),
                                new ContainerSpec.Mount(scratch, "/tmp", false),
                                new ContainerSpec.Mount(buildpacksDir, "/buildpacks", true),
                                new ContainerSpec.Mount(network.resolvConf(), "/etc/resolv.conf", true)),
                        DockerBuilder.BUILD_MEMORY_BYTES, DockerBuilder.ALL_CPUS, true, Map.of(), Optional.of("laambda-shared"),
                        DockerBuilder.sandbox(network.name()), Set.of());
                run(spec, buildpack, out);
                Files.writeString(staging.resolve(COMPLETE), image + "\n");
                sealReadOnly(staging);
                try {
                    Files.move(staging, published, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException sameLayersPublished) {
                    // Another build published the same layers meanwhile: the same inputs, the same layers.
                }
                return Optional.of(published);
            } finally {
                Directories.deleteTree(scratch);
                if (Files.exists(staging)) {
                    Directories.deleteTree(staging);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not build the shared layers of " + buildpack.name() + ": " + e.getMessage(), e);
        }
    }

    private void run(ContainerSpec spec, Buildpack buildpack, Consumer<String> out) {
        RecentLines recent = new RecentLines(out);
        try (Container container = Container.start(docker, spec, recent)) {
            int status = container.exit().get(15, TimeUnit.MINUTES);
            container.outputEnded().get(10, TimeUnit.SECONDS);
            if (status != 0) {
                throw new BuildFailedException("Build failed: " + buildpack.name() + " " + SCRIPT + " exited with status "
                        + status + ".", recent.lines());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException("Build interrupted: the server is stopping.", recent.lines());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new BuildFailedException("Build failed: " + buildpack.name() + " " + SCRIPT + " did not finish: "
                    + e.getMessage(), recent.lines());
        }
    }

    /** The build image's id and the bytes of the buildpack's scripts: new inputs, new layers. */
    private String key(Buildpack buildpack, String image) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(docker.client().inspectImageCmd(image).exec().getId().getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(buildpack.dir())) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    digest.update(buildpack.dir().relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(file));
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's (root's, when it is root) and read-only for everyone: builds only ever read it. */
    private static void sealReadOnly(Path dir) throws IOException {
        int serverUid = (Integer) Files.getAttribute(dir.getParent(), "unix:uid");
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.toList()) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Files.setAttribute(path, "unix:uid", serverUid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", serverUid, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
                boolean executable = Files.isDirectory(path) || mode.contains(PosixFilePermission.OWNER_EXECUTE);
                Set<PosixFilePermission> sealed = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                        PosixFilePermission.OTHERS_READ);
                if (executable) {
                    sealed.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_EXECUTE));
                }
                Files.setPosixFilePermissions(path, sealed);
            }
        }
    }
}
