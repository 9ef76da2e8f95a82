package dev.laambda.build;

import dev.laambda.docker.Container;
import dev.laambda.docker.ContainerSpec;
import dev.laambda.docker.DockerEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs buildpacks inside the build image of the app's runtime (AWS SAM's, or the stand-ins built by
 * buildpacks/stacks), so an artifact is compiled against the same system as the one it runs on: the
 * source, the app's cache and ENV_DIR mounted, the buildpacks read-only, the server's user (so the files
 * it produces are the server's), the host's package-index settings, and CPU, memory, time and disk limits:
 * the image's own file system is read-only and /tmp (HOME) is the build's scratch directory on the host,
 * so everything a build writes counts against its disk quota. The container is removed whatever happens.
 */
public final class DockerBuilder implements Builder {

    private static final long BUILD_MEMORY_BYTES = 4L * 1024 * 1024 * 1024;
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
    private final Path sharedCaches;

    public DockerBuilder(DockerEngine docker, BuildImages images, BuildEnvironment environment, Path buildpacksDir,
                         BuildLimits limits, Path sharedCaches) {
        this.docker = docker;
        this.images = images;
        this.environment = environment;
        this.buildpacksDir = buildpacksDir;
        this.limits = limits;
        this.sharedCaches = sharedCaches;
    }

    @Override
    public String description() {
        return "build containers (" + docker.description() + ")";
    }

    @Override
    public void compile(Buildpack buildpack, Path buildDir, Path cacheDir, Map<String, String> config, Consumer<String> out) {
        String runtime = config.getOrDefault("LAAMBDA_RUNTIME", buildpack.defaultRuntime());
        BuildImages.Image image = images.forBuild(buildpack.name(), runtime, config);
        docker.requireImage(image.name(), "Build", image.setting());
        out.accept("-----> Build image " + image.name());
        RecentLines recent = new RecentLines(out);
        try (EnvDir envDir = EnvDir.of(config, buildDir); ScratchDir tmp = ScratchDir.besides(buildDir)) {
            List<ContainerSpec.Mount> mounts = new ArrayList<>(List.of(
                    new ContainerSpec.Mount(tmp.path(), "/tmp", false),
                    new ContainerSpec.Mount(buildDir, "/tmp/build", false),
                    new ContainerSpec.Mount(cacheDir, "/tmp/cache", false),
                    new ContainerSpec.Mount(envDir.path(), "/tmp/env", true),
                    new ContainerSpec.Mount(buildpacksDir, "/buildpacks", true),
                    new ContainerSpec.Mount(BuildCache.sharedDir(sharedCaches, buildpack), "/tmp/shared-cache", false)));
            Map<String, String> env = new HashMap<>(environment.forwarded());
            env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            env.put("HOME", "/tmp");
            // Host paths mean nothing in the container: the buildpacks keep these in CACHE_DIR.
            List.of("TMPDIR", "GOPATH", "GOMODCACHE").forEach(env::remove);
            env.put("STACK", image.name());
            env.put("LAAMBDA_BUILDER", "docker");
            env.put("LAAMBDA_SHARED_CACHE", "/tmp/shared-cache");
            hostIndexFiles(mounts, env);
            hostFilesNamedBySettings(mounts, env);
            ContainerSpec spec = new ContainerSpec(image.name(),
                    List.of("/buildpacks/" + buildpack.name() + "/bin/compile"), List.of("/tmp/build", "/tmp/cache", "/tmp/env"),
                    env, owner(buildDir), "/tmp/build", mounts, BUILD_MEMORY_BYTES,
                    Runtime.getRuntime().availableProcessors() * 1_000_000_000L, true, Map.of(),
                    Optional.of("laambda-build"), "host");
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

    /** The uid:gid owning the build directory (the server's user): the files a build writes stay the server's. */
    private static String owner(Path buildDir) {
        try {
            return Files.getAttribute(buildDir, "unix:uid") + ":" + Files.getAttribute(buildDir, "unix:gid");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the owner of " + buildDir + ": " + e.getMessage(), e);
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

    /** Mounts each host package-index file that exists at /etc/laambda/… and points its tool's variable at it. */
    private static void hostIndexFiles(List<ContainerSpec.Mount> mounts, Map<String, String> env) {
        String home = System.getProperty("user.home");
        HOST_INDEX_FILES.forEach((file, variable) -> {
            Path host = Path.of(file.replaceFirst("^~", home));
            if (Files.isRegularFile(host) && !env.containsKey(variable)) {
                String inContainer = "/etc/laambda/" + variable.toLowerCase(java.util.Locale.ROOT);
                mounts.add(new ContainerSpec.Mount(host, inContainer, true));
                env.put(variable, inContainer);
            }
        });
    }
}
