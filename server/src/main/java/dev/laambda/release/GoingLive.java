package dev.laambda.release;

import dev.laambda.LaambdaException;
import dev.laambda.logs.AppLog;
import dev.laambda.platform.Platforms;
import dev.laambda.platform.FunctionSpec;
import dev.laambda.platform.PreparedRollout;
import dev.laambda.platform.Rollout;
import dev.laambda.store.App;
import dev.laambda.store.AppLocks;
import dev.laambda.store.NewRelease;
import dev.laambda.store.Release;
import dev.laambda.store.ReleaseRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Takes every release — deploy, config, resources, rollback — live in three steps (docs/architecture.md,
 * "Going live"):
 * <ol>
 *   <li><b>prepare</b>: the platform's slow work that can fail, visible to no caller and outside any transaction.
 *       A failure stores nothing; the current release stays live.</li>
 *   <li><b>switch</b>: the platform makes it live (AWS: moves the aliases), then one short transaction stores it
 *       as the app's current release. A failure moves back what moved, stores the release as failed, and the
 *       previous release stays live.</li>
 *   <li><b>finish</b>: after the switch, work that must never fail the release (retire the old release's
 *       instances, delete removed functions), through {@link AfterSwitch}: logged and retried.</li>
 * </ol>
 * The app's release lock is held from before the next release is made until its switch, so a concurrent change
 * waits and is then made from this one: none is lost.
 */
public final class GoingLive {

    private static final Logger log = LoggerFactory.getLogger(GoingLive.class);

    private final ReleaseRepository releases;
    private final AppLocks locks;
    private final ConfigCipher cipher;
    private final Platforms platforms;
    private final AfterSwitch afterSwitch;
    private final AppLog appLog;
    private final LiveReleases live;

    public GoingLive(ReleaseRepository releases, AppLocks locks, ConfigCipher cipher, Platforms platforms,
                     AfterSwitch afterSwitch, AppLog appLog, LiveReleases live) {
        this.appLog = appLog;
        this.live = live;
        this.releases = releases;
        this.locks = locks;
        this.cipher = cipher;
        this.platforms = platforms;
        this.afterSwitch = afterSwitch;
    }

    /** The next release, made from the app's current one (if any); it may throw to refuse, and then nothing is stored. */
    @FunctionalInterface
    public interface NextRelease {
        NewRelease from(Optional<Release> current);
    }

    /** Makes the release {@code next} describes the app's live one and returns it as stored. */
    public Release release(App app, NextRelease next) {
        return release(app, line -> { }, next);
    }

    /** As {@link #release(App, NextRelease)}; {@code progress} gets the platform's lines for the person waiting. */
    public Release release(App app, Consumer<String> progress, NextRelease next) {
        Rollout rollout;
        PreparedRollout prepared;
        Release live;
        try (AppLocks.Held lock = locks.lockReleases(app.id(),
                () -> log.info("event=release_waiting app={}", app.name()))) {
            Optional<Release> current = releases.current(app.id());
            NewRelease candidate = next.from(current);
            int version = releases.nextVersion(app.id());
            rollout = new Rollout(app.id(), app.name(), Optional.ofNullable(app.roleArn()), version,
                    functions(app, candidate.artifactSha(), candidate.formationJson(), checkedConfig(candidate), version),
                    current.map(replaced -> functions(app, replaced.artifactSha(), replaced.formationJson(),
                            cipher.decrypt(replaced.configCiphertext(), replaced.configKeyId()), replaced.version()))
                            .orElse(List.of()));
            prepared = platforms.of(app.platform()).prepare(rollout, progress);
            live = switchTo(app, current, version, candidate, prepared);
        }
        log.info("event=release_live app={} version={} kind={} functions={}", app.name(), live.version(),
                live.kind().sqlName(), rollout.functions().size());
        appLog.api(app.id(), "Release v" + live.version() + " created by " + by(live) + " (" + live.description() + ")");
        afterSwitch.run("retire_replaced", app.name(), live.version(), prepared::finish);
        return live;
    }

    /** Step 2: the platform's switch, then the commit; on failure the previous release stays live. */
    private Release switchTo(App app, Optional<Release> current, int version, NewRelease candidate,
                             PreparedRollout prepared) {
        try {
            prepared.switchLive();
        } catch (RuntimeException e) {
            throw failed(app, current, version, candidate, e);
        }
        try {
            Release stored = releases.appendActive(app.id(), current.map(Release::id).orElse(null), version, candidate);
            // Other servers hear of it from the database's notification; this one's next request must not race that.
            live.forget(app.id());
            return stored;
        } catch (RuntimeException e) {
            try {
                prepared.switchBack();
            } catch (RuntimeException undo) {
                log.error("event=switch_back_failed app={} version={} error=\"{}\"", app.name(), version,
                        undo.getMessage(), undo);
                e.addSuppressed(undo);
            }
            throw failed(app, current, version, candidate, e);
        }
    }

    /** Stores the release as failed (when the database lets it) and says which release stays live. */
    private RuntimeException failed(App app, Optional<Release> current, int version, NewRelease candidate,
                                    RuntimeException cause) {
        try {
            releases.appendFailed(version, candidate);
        } catch (RuntimeException notStored) {
            // The database may be what failed the switch; the cause is what the caller must hear about.
            cause.addSuppressed(notStored);
        }
        log.warn("event=release_failed app={} version={} error=\"{}\"", app.name(), version, cause.getMessage());
        String stays = "Release v" + version + " (" + candidate.description() + ") failed and "
                + current.map(r -> "v" + r.version() + " stays live").orElse("nothing went live");
        if (!(cause instanceof LaambdaException known)) {
            appLog.api(app.id(), stays + ": see the server's log");
            return cause;
        }
        LaambdaException failed = new LaambdaException(known.kind(), known.code(), stays + ": " + known.getMessage());
        appLog.api(app.id(), failed.getMessage());
        return failed;
    }

    private static String by(Release release) {
        return release.createdByEmail() == null ? "a deleted user" : release.createdByEmail();
    }

    /** The release's config, refused when a value is one no function may get (a rollback may carry an old one). */
    private ConfigVars checkedConfig(NewRelease release) {
        ConfigVars config = cipher.decrypt(release.configCiphertext(), release.configKeyId());
        config.checkValues();
        return config;
    }

    /** One function per Procfile entry, for release {@code version}; none while it has no code. */
    private static List<FunctionSpec> functions(App app, String artifactSha, String formationJson, ConfigVars config,
                                                int version) {
        if (artifactSha == null) {
            return List.of();
        }
        return Formation.fromJson(formationJson).entries().values().stream()
                .map(entry -> entry.function(app, artifactSha, version, config.values())).toList();
    }
}
