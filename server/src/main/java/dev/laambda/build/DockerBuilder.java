package dev.laambda.build;

import dev.laambda.docker.Container;
import dev.laambda.docker.ContainerSpec;
import dev.laambda.docker.DockerEngine;
import dev.laambda.docker.SandboxNetwork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs buildpacks inside the build image of the app's runtime (AWS SAM's, or the stand-ins built by
 * buildpacks/stacks), so an artifact is compiled against the same system as the one it runs on: the
 * source, the app's cache and ENV_DIR mounted, the buildpacks read-only, the host's package-index settings,
 * and CPU, memory, time and disk limits: the image's own file system is read-only and /tmp (HOME) is the
 * build's scratch directory on the host, so everything a build writes counts against its disk quota. A build
 * runs tenant code (hooks, install scripts, plugins), so it is sandboxed as a function is: the build network
 * (no host, no neighbour, no private address; the internet unless LAAMBDA_BUILD_EGRESS=none), no capabilities,
 * no privilege gain, bounded processes, and an unprivileged user — the server's own, or {@link #BUILD_USER}
 * when the server is root. The container is removed whatever happens.
 */
public final class DockerBuilder implements Builder {

    static final long BUILD_MEMORY_BYTES = 4L * 1024 * 1024 * 1024;
    /** Builds may use every CPU of the engine's host (in billionths of a CPU, as Docker counts). */
    static final long ALL_CPUS = Runtime.getRuntime().availableProcessors() * 1_000_000_000L;
    static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Who a build runs as when the server is root: a uid of its own, never root's. */
    static final int BUILD_USER = 995;
    /** Compilers and package managers start many threads (and open files: the engine's limit); a fork bomb still stops. */
    static ContainerSpec.Sandbox sandbox(String network) {
        return new ContainerSpec.Sandbox(network, 4096, 0);
    }
    /** Host files with package-index settings (mirrors, proxies) the build gets read-only, and the variable naming each. */
    private static final Map<String, String> HOST_INDEX_FILES = Map.of(
            "/etc/pip.conf", "PIP_CONFIG_FILE",
            "~/.config/pip/pip.conf", "PIP_CONFIG_FILE",
            "~/.npmrc", "NPM_CONFIG_USERCONFIG",
            "~/.m2/settings.xml", "LAAMBDA_MAVEN_SETTINGS",
            "~/.config/go/env", "GOENV");

    /** Settings whose value is a host file or directory the build needs as it is (CA bundles, index configs). */
    private static final List<String> FILE_SETTINGS = List.of("SSL_CERT_DIR", "SSL_CERT_FILE", "PIP_CERT",
            "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "NPM_CONFIG_CAFILE", "npm_config_cafile",
            "PIP_CONFIG_FILE", "NPM_CONFIG_USERCONFIG");

    private final DockerEngine docker;
    private final BuildImages images;
    private final BuildEnvironment environment;
    private final Path buildpacksDir;
    private final BuildLimits limits;
    private final SandboxNetwork network;
    private final SharedLayers sharedLayers;

    public DockerBuilder(DockerEngine docker, BuildImages images, BuildEnvironment environment, Path buildpacksDir,
                         BuildLimits limits, Path sharedCaches, SandboxNetwork network) {
        this.network = network;
        requireReadableByBuilds(buildpacksDir);
        this.sharedLayers = new SharedLayers(docker, sharedCaches, buildpacksDir, network);
        this.docker = docker;
        this.images = images;
        this.environment = environment;
        this.buildpacksDir = buildpacksDir;
        this.limits = limits;
    }

    /** Builds run as a user of their own, who must read and run the buildpacks. */
    private static void requireReadableByBuilds(Path buildpacksDir) {
        try {
            var mode = Files.getPosixFilePermissions(buildpacksDir);
            if (!mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                    || !mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalArgumentException("Builds run as a user of their own, who cannot read " + buildpacksDir
                        + " (LAAMBDA_BUILDPACKS_DIR): make it readable by everyone (chmod -R a+rX " + buildpacksDir + ").");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + buildpacksDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "build containers (" + docker.description() + ", network " + network.name() + ", egress "
                + network.egress().setting() + ")";
    }

    @Override
    public void compile(BuildRequest request) {
        Buildpack buildpack = request.buildpack();
        Path buildDir = request.buildDir();
        Path cacheDir = request.cacheDir();
        Consumer<String> out = request.out();
        BuildImages.Image image = images.forBuild(buildpack.name(), request.runtime(), request.settings());
        docker.requireImage(image.name(), "Build", image.setting());
        out.accept("-----> Build image " + image.name());
        RecentLines recent = new RecentLines(out);
        try (EnvDir envDir = EnvDir.of(request); ScratchDir tmp = ScratchDir.besides(buildDir)) {
            List<ContainerSpec.Mount> mounts = new ArrayList<>(List.of(
                    new ContainerSpec.Mount(tmp.path(), "/tmp", false),
                    new ContainerSpec.Mount(buildDir, "/tmp/build", false),
                    new ContainerSpec.Mount(cacheDir, "/tmp/cache", false),
                    new ContainerSpec.Mount(envDir.path(), "/tmp/env", true),
                    new ContainerSpec.Mount(buildpacksDir, "/buildpacks", true),
                    new ContainerSpec.Mount(network.resolvConf(), "/etc/resolv.conf", true)));
            Optional<Path> shared = sharedLayers.forBuild(buildpack, image.name(), out);
            // Read-only: what every app's build shares, no app's build may change.
            shared.ifPresent(dir -> mounts.add(new ContainerSpec.Mount(dir, "/tmp/shared-cache", true)));
            Map<String, String> env = new HashMap<>(environment.forwarded());
            env.put("PATH", SYSTEM_PATH);
            env.put("HOME", "/tmp");
            // Host paths mean nothing in the container: the buildpacks keep these in CACHE_DIR.
            List.of("TMPDIR", "GOPATH", "GOMODCACHE").forEach(env::remove);
            env.put("STACK", image.name());
            env.put("LAAMBDA_BUILDER", "docker");
            shared.ifPresent(dir -> env.put("LAAMBDA_SHARED_CACHE", "/tmp/shared-cache"));
            hostIndexFiles(tmp.path(), env);
            hostFilesNamedBySettings(mounts, env);
            String user = BuildUser.give(List.of(buildDir, cacheDir, envDir.path(), tmp.path()));
            ContainerSpec spec = new ContainerSpec(image.name(),
                    List.of("/buildpacks/" + buildpack.name() + "/bin/compile"), List.of("/tmp/build", "/tmp/cache", "/tmp/env"),
                    env, user, "/tmp/build", mounts, BUILD_MEMORY_BYTES, ALL_CPUS, true, Map.of(),
                    Optional.of("laambda-build"), sandbox(network.name()),
                    Set.copyOf(environment.forwarded().values()));
            run(spec, buildpack, List.of(buildDir, cacheDir, tmp.path()), recent);
        }
    }

    private void run(ContainerSpec spec, Buildpack buildpack, List<Path> written, RecentLines recent) {
        try (Container container = Container.start(docker, spec, recent);
             BuildDiskWatch disk = BuildDiskWatch.start(written, limits.diskBytes(), container::close)) {
            int status;
            try {
                status = container.exit().get(limits.time().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                container.close();
                throw limits.timedOut(buildpack, recent.lines());
            }
            if (disk.exceeded()) {
                throw limits.diskFull(buildpack, recent.lines());
            }
            container.outputEnded().get(10, TimeUnit.SECONDS);
            if (status != 0) {
                throw new BuildFailedException("Build failed: " + buildpack.name() + " bin/compile exited with status "
                        + status + ".", recent.lines());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException("Build interrupted: the server is stopping.", recent.lines());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Lost the build container's output: " + e.getMessage(), e);
        }
    }

    /**
     * Forwarded settings that name a host CA bundle or index config (SSL_CERT_FILE, PIP_CERT, NODE_EXTRA_CA_CERTS,
     * SSL_CERT_DIR, …: a corporate CA, say) get it mounted read-only at the same path, so the setting means the
     * same inside the build container as on the host.
     */
    private static void hostFilesNamedBySettings(List<ContainerSpec.Mount> mounts, Map<String, String> env) {
        java.util.Set<String> mounted = new java.util.HashSet<>();
        for (String setting : FILE_SETTINGS) {
            String value = env.get(setting);
            if (value != null && value.startsWith("/") && mounted.add(value)
                    && (Files.isRegularFile(Path.of(value)) || Files.isDirectory(Path.of(value)))) {
                mounts.add(new ContainerSpec.Mount(Path.of(value), value, true));
            }
        }
    }

    /**
     * Copies each host package-index file that exists into the build's scratch directory (/tmp/.laambda-settings
     * in the container) and points its tool's variable at the copy: the build's own user reads it there even
     * where the host file is private to the server's user (~/.npmrc is mode 600).
     */
    private static void hostIndexFiles(Path scratch, Map<String, String> env) {
        String home = System.getProperty("user.home");
        HOST_INDEX_FILES.forEach((file, variable) -> {
            Path host = Path.of(file.replaceFirst("^~", home));
            if (Files.isRegularFile(host) && !env.containsKey(variable)) {
                String name = variable.toLowerCase(java.util.Locale.ROOT);
                try {
                    Files.createDirectories(scratch.resolve(".laambda-settings"));
                    Files.copy(host, scratch.resolve(".laambda-settings").resolve(name));
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not copy " + host + " for the build: " + e.getMessage(), e);
                }
                env.put(variable, "/tmp/.laambda-settings/" + name);
            }
        });
    }
}
