package dev.laambda.release;

import dev.laambda.AppSettings;
import dev.laambda.Directories;
import dev.laambda.LaambdaException;
import dev.laambda.build.ArtifactPacker;
import dev.laambda.build.ArtifactStore;
import dev.laambda.build.BuildCache;
import dev.laambda.build.BuildRequest;
import dev.laambda.build.Builder;
import dev.laambda.build.Buildpacks;
import dev.laambda.build.PackedArtifact;
import dev.laambda.logs.AppLog;
import dev.laambda.runtime.LambdaRuntime;
import dev.laambda.runtime.Runtimes;
import dev.laambda.store.App;
import dev.laambda.store.AppLocks;
import dev.laambda.store.ArtifactRepository;
import dev.laambda.store.Build;
import dev.laambda.store.BuildRepository;
import dev.laambda.store.Release;
import dev.laambda.store.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Turns a pushed commit into a live release, in the steps docs/architecture.md's "The one flow" names. Any
 * failure before the switch leaves the app's current release live; the release is stored only once the
 * build, the artifact and the platform's prepare all worked.
 */
public final class Deployer {

    private static final Logger log = LoggerFactory.getLogger(Deployer.class);

    private final AppLocks locks;
    private final BuildRepository builds;
    private final Buildpacks buildpacks;
    private final Builder builder;
    private final BuildCache cache;
    private final ArtifactPacker packer;
    private final ArtifactStore artifactStore;
    private final ArtifactRepository artifacts;
    private final Releases releases;
    private final AfterSwitch afterSwitch;
    private final AppLog appLog;
    private final Path workspaces;
    /** Saves running builds' logs as they grow (BuildLog): one thread for every build of this server. */
    private final ScheduledExecutorService buildLogSaver = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "build-log-saver");
        thread.setDaemon(true);
        return thread;
    });

    public Deployer(AppLocks locks, BuildRepository builds, Buildpacks buildpacks, Builder builder, BuildCache cache,
                    ArtifactPacker packer, ArtifactStore artifactStore, ArtifactRepository artifacts, Releases releases,
                    AfterSwitch afterSwitch, AppLog appLog, Path workspaces) {
        this.appLog = appLog;
        this.locks = locks;
        this.builds = builds;
        this.buildpacks = buildpacks;
        this.builder = builder;
        this.cache = cache;
        this.packer = packer;
        this.artifactStore = artifactStore;
        this.artifacts = artifacts;
        this.releases = releases;
        this.afterSwitch = afterSwitch;
        this.workspaces = workspaces;
    }

    /**
     * Builds and releases {@code gitSha}; progress goes to {@code out} as Heroku-style lines. Throws when no new
     * release went live; once one did, nothing after it (recording the deployed branch, closing the build) fails
     * the push: that is the release's finish, logged and retried by {@link AfterSwitch}.
     */
    public Release deploy(App app, String gitSha, User pushedBy, SourceTree source, Consumer<String> out) {
        long started = System.nanoTime();
        try (AppLocks.Held lock = locks.lockBuilds(app.id(),
                () -> out.accept("-----> Waiting for another deploy of " + app.name() + " to finish"))) {
            Build build = builds.start(app.id(), gitSha);
            Release release;
            BuildLog buildLog = new BuildLog(line -> {
                appLog.build(app.id(), line);
                out.accept(line);
            }, soFar -> builds.saveLog(build.id(), soFar), buildLogSaver);
            try (buildLog) {
                release = buildAndRelease(app, gitSha, pushedBy, source, build, buildLog);
            }
            buildLog.accept("-----> Released v" + release.version());
            notRunLocally(app, release).ifPresent(buildLog);
            buildLog.accept(String.format("       Done in %.1f s", (System.nanoTime() - started) / 1e9));
            log.info("event=deployed app={} version={} git_sha={} artifact={}", app.name(), release.version(),
                    gitSha, release.artifactSha());
            afterSwitch.run("record_deployed_branch", app.name(), release.version(), source::recordDeployed);
            afterSwitch.run("close_build", app.name(), release.version(),
                    () -> builds.finish(build.id(), Build.Status.SUCCEEDED, buildLog.text()));
            return release;
        }
    }

    /** Steps 1–7 of the flow: build, pack and take the release live; any failure fails the build and the push. */
    private Release buildAndRelease(App app, String gitSha, User pushedBy, SourceTree source, Build build,
                                    BuildLog buildLog) {
        Path workspace = workspaces.resolve(Long.toString(app.id())).resolve("build-" + build.id());
        try {
            Path sourceDir = Files.createDirectories(workspace.resolve("src"));
            source.checkoutTo(sourceDir);
            ConfigVars config = releases.config(app);

            AppSettings settings = AppSettings.of(config.values());
            Buildpacks.Detected detected = buildpacks.detect(sourceDir, settings.buildpack(), buildLog);
            buildLog.accept("-----> " + detected.displayName() + " app detected");
            buildLog.accept("-----> Building with " + builder.description());
            LambdaRuntime runtime = runtime(app, settings, detected, sourceDir);
            buildLog.accept("-----> Runtime " + runtime.id());
            Runtimes.deprecationWarning(runtime).ifPresent(warning -> buildLog.accept("       Warning: " + warning));
            String buildpack = detected.buildpack().name();
            cache.restore(app.id(), buildpack).ifPresent(bytes -> buildLog.accept(
                    "-----> Restored the build cache from the shared bucket (" + humanSize(bytes) + ")"));
            builder.compile(new BuildRequest(detected.buildpack(), sourceDir, cache.dirFor(app.id(), buildpack), runtime,
                    config.values(), buildLog));
            cache.save(app.id(), buildpack);

            Map<String, String> processTypes = processTypes(sourceDir, detected, buildLog);
            buildLog.accept("-----> Discovering process types: " + String.join(", ", processTypes.keySet()));

            PackedArtifact packed = packer.pack(sourceDir, workspace.resolve("artifact.zip"), buildLog);
            // Recorded before it is stored: an apps:destroy that deletes an artifact no release references then
            // either runs first (this put stores it again) or takes the record away (the release is refused).
            artifacts.record(packed.sha256(), packed.zippedBytes(), artifactStore.uri(packed.sha256()));
            artifactStore.put(packed);
            buildLog.accept("-----> Compressed artifact: " + humanSize(packed.zippedBytes()) + " (sha256 "
                    + packed.sha256().substring(0, 12) + "…)");
            if (packed.needsS3Upload()) {
                buildLog.accept("       Over Lambda's 50 MB direct-upload limit: it will be uploaded through S3.");
            }
            // Prepare → switch → finish (GoingLive): when this returns, the release is live.
            return releases.deploy(app, pushedBy, gitSha, build.id(), packed.sha256(), processTypes, runtime.id(),
                    buildLog);
        } catch (LaambdaException e) {
            buildLog.accept("!     " + e.getMessage());
            builds.finish(build.id(), Build.Status.FAILED, buildLog.text());
            log.info("event=deploy_failed app={} git_sha={} code={}", app.name(), gitSha, e.code());
            throw e;
        } catch (IOException | RuntimeException e) {
            buildLog.accept("!     Deploy failed inside the server: see its log (build " + build.id() + ").");
            builds.finish(build.id(), Build.Status.FAILED, buildLog.text());
            log.error("event=deploy_error app={} git_sha={} build={}", app.name(), gitSha, build.id(), e);
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "deploy_error",
                    "Deploy failed inside the server: see its log (build " + build.id() + ").");
        } finally {
            deleteWorkspace(workspace);
        }
    }

    /** One line naming the release's event sources that a local app keeps but does not run (queues, streams, buckets). */
    private static Optional<String> notRunLocally(App app, Release release) {
        if (app.platform() != dev.laambda.platform.PlatformKind.LOCAL) {
            return Optional.empty();
        }
        List<String> kept = Formation.fromJson(release.formationJson()).entries().entrySet().stream()
                .flatMap(entry -> entry.getValue().eventSources().stream().map(EventSource::parse)
                        .filter(source -> !source.runsLocally())
                        .map(source -> entry.getKey() + " " + source.identity()))
                .toList();
        return kept.isEmpty() ? Optional.empty() : Optional.of("       Event sources not supported on the local platform "
                + "(kept, not run): " + String.join(", ", kept));
    }

    /**
     * Deletes the build workspaces a killed server left behind; returns how many. Call at start, before pushes are
     * accepted: a workspace of a running build would go with them.
     */
    public int removeLeftoverWorkspaces() {
        if (!Files.isDirectory(workspaces)) {
            return 0;
        }
        try (var leftovers = Files.list(workspaces)) {
            List<Path> all = leftovers.toList();
            all.forEach(Directories::deleteTree);
            return all.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty the build workspaces in " + workspaces + ": " + e.getMessage(), e);
        }
    }

    /**
     * Empties an app's build cache (every buildpack's), so the next push builds from scratch. Waits for a
     * build of the app that is running, under the same per-app lock.
     */
    public void clearBuildCache(App app, Consumer<String> waiting) {
        try (AppLocks.Held lock = locks.lockBuilds(app.id(), () -> waiting.accept("waiting for a build of " + app.name()))) {
            cache.clear(app.id());
            log.info("event=build_cache_cleared app={}", app.name());
        }
    }

    /** The Procfile's entries, else the buildpack's default_process_types (Heroku's rule), else an error. */
    private Map<String, String> processTypes(Path sourceDir, Buildpacks.Detected detected, Consumer<String> out)
            throws IOException {
        Path procfile = sourceDir.resolve("Procfile");
        if (Files.isRegularFile(procfile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Procfile.parse(Files.readAllBytes(procfile)).entries();
        }
        Optional<Map<String, String>> defaults = buildpacks.defaultProcessTypes(detected.buildpack(), sourceDir)
                .filter(types -> !types.isEmpty());
        if (defaults.isEmpty()) {
            throw Procfile.missing();
        }
        // The buildpack's offer is held to the same rules as a Procfile the developer wrote.
        StringBuilder asProcfile = new StringBuilder();
        defaults.get().forEach((name, handler) -> asProcfile.append(name).append(": ").append(handler).append('\n'));
        Map<String, String> entries = Procfile.parse(asProcfile.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .entries();
        entries.forEach((name, handler) -> out.accept("-----> No Procfile: using " + name + ": " + handler));
        return entries;
    }

    static String humanSize(long bytes) {
        return bytes < 100_000 ? Math.max(1, Math.round(bytes / 1000.0)) + " KB"
                : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    /**
     * The app's pinned runtime, else the LAAMBDA_RUNTIME config var, else what the app's files ask for
     * (the buildpack's bin/runtime: runtime.txt, .python-version, …), else the buildpack's default; one the
     * catalogue lacks (pinned before apps:create checked, or a third-party buildpack's) is refused with the list.
     */
    private LambdaRuntime runtime(App app, AppSettings settings, Buildpacks.Detected detected, Path sourceDir) {
        if (app.runtime() != null) {
            return Runtimes.require(app.runtime(), "unsupported_runtime", "");
        }
        Optional<LambdaRuntime> configured = settings.runtime();
        if (configured.isPresent()) {
            return configured.get();
        }
        return Runtimes.require(buildpacks.requestedRuntime(detected.buildpack(), sourceDir)
                .orElse(detected.buildpack().defaultRuntime()), "unsupported_runtime", "");
    }

    private static void deleteWorkspace(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (UncheckedIOException e) {
            log.warn("event=workspace_cleanup_failed dir={} error={}", dir, e.getMessage());
        }
    }
}
