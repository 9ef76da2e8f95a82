package dev.laambda.release;

import dev.laambda.LaambdaException;
import dev.laambda.store.App;
import dev.laambda.store.NewRelease;
import dev.laambda.store.Release;
import dev.laambda.store.ReleaseRepository;
import dev.laambda.store.User;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every change to a live app is a new release made from the current one: deploys, config changes, resource
 * changes and rollbacks. This class says what each new release is made of; {@link GoingLive} takes it live in
 * three steps. Nothing here builds: the artifact of a release already exists.
 */
public final class Releases {

    private final ReleaseRepository releases;
    private final ConfigCipher cipher;
    private final GoingLive goingLive;
    private final int maxConcurrency;

    /** {@code maxConcurrency}: the server's LAAMBDA_FUNCTION_CONCURRENCY, the most a function may reserve. */
    public Releases(ReleaseRepository releases, ConfigCipher cipher, GoingLive goingLive, int maxConcurrency) {
        this.releases = releases;
        this.cipher = cipher;
        this.goingLive = goingLive;
        this.maxConcurrency = maxConcurrency;
    }

    /** The first release of a new app: no code, no config. */
    public NewRelease initial(long appId, User by) {
        return new NewRelease(appId, Release.Kind.CONFIG, "Initial release", null, null, null,
                cipher.encrypt(ConfigVars.empty()), cipher.keyId(), Formation.empty().toJson(), null, by.id());
    }

    public ConfigVars config(App app) {
        return releases.current(app.id()).map(this::config).orElse(ConfigVars.empty());
    }

    public ConfigVars config(Release release) {
        return cipher.decrypt(release.configCiphertext(), release.configKeyId());
    }

    public Formation formation(App app) {
        return releases.current(app.id()).map(r -> Formation.fromJson(r.formationJson())).orElse(Formation.empty());
    }

    /** Sets (value) and unsets (null) config vars in one new release; validation failures store nothing. */
    public Release changeConfig(App app, User by, Map<String, String> changes) {
        if (changes.isEmpty()) {
            throw LaambdaException.invalid("invalid_request", "No config vars given: send {\"KEY\": \"value\"} or {\"KEY\": null}.");
        }
        return goingLive.release(app, current -> {
            ConfigVars next = current.map(this::config).orElse(ConfigVars.empty()).with(changes);
            return copyOf(current, app, by, Release.Kind.CONFIG, describe(changes), cipher.encrypt(next), cipher.keyId(), null);
        });
    }

    public Release clearConfig(App app, User by) {
        return goingLive.release(app, current ->
                copyOf(current, app, by, Release.Kind.CONFIG, "Remove all config vars", cipher.encrypt(ConfigVars.empty()),
                cipher.keyId(), null));
    }

    public Release setMemory(App app, User by, String entry, int memoryMb) {
        FormationEntry.checkMemory(memoryMb);
        return changeFormation(app, by, entry, Release.Kind.RESOURCES, e -> e.withMemory(memoryMb),
                "Set " + entry + " memory to " + memoryMb + " MB");
    }

    public Release setTimeout(App app, User by, String entry, int timeoutS) {
        FormationEntry.checkTimeout(timeoutS);
        return changeFormation(app, by, entry, Release.Kind.RESOURCES, e -> e.withTimeout(timeoutS),
                "Set " + entry + " timeout to " + timeoutS + " s");
    }

    /** Lambda's PutFunctionConcurrency: at most {@code concurrency} instances of the entry's function at once. */
    public Release setReservedConcurrency(App app, User by, String entry, int concurrency) {
        FormationEntry.checkReservedConcurrency(concurrency, maxConcurrency);
        return changeFormation(app, by, entry, Release.Kind.RESOURCES, e -> e.withReservedConcurrency(concurrency),
                "Set " + entry + " concurrency to " + concurrency);
    }

    /** Lambda's DeleteFunctionConcurrency: the entry's function is back under the server's own limit. */
    public Release clearReservedConcurrency(App app, User by, String entry) {
        return changeFormation(app, by, entry, Release.Kind.RESOURCES, e -> e.withReservedConcurrency(null),
                "Reset " + entry + " concurrency to the server default");
    }

    /** The entry's event sources in the current release, parsed; a 404 for an unknown entry. */
    public List<EventSource> eventSources(App app, String entry) {
        return formation(app).entry(entry).eventSources().stream().map(EventSource::parse).toList();
    }

    /**
     * Adds an event source to an entry: an event_sources release. Refused, storing nothing, when the source does
     * not parse, names another region than the app's, or the entry already has it (options aside).
     */
    public Release addEventSource(App app, User by, String entry, String source, EventSource.Options options) {
        EventSource added = EventSource.parse(source, options, app.region());
        return changeFormation(app, by, entry, Release.Kind.EVENT_SOURCES, e -> {
            EventSource.sameAs(e.eventSources(), added).ifPresent(existing -> {
                throw LaambdaException.conflict("event_source_exists", "Function " + entry + " already has event source "
                        + existing + ": remove it first to change it.");
            });
            List<String> next = new ArrayList<>(e.eventSources());
            next.add(added.canonical());
            return e.withEventSources(next);
        }, "Add " + entry + " event source " + added.canonical());
    }

    /** Removes the entry's source that is the same as {@code source} (its options need not be given). */
    public Release removeEventSource(App app, User by, String entry, String source) {
        EventSource removed = EventSource.parse(source, EventSource.Options.NONE, null);
        return changeFormation(app, by, entry, Release.Kind.EVENT_SOURCES, e -> {
            String existing = EventSource.sameAs(e.eventSources(), removed).orElseThrow(() -> LaambdaException.notFound(
                    "event_source_not_found", "Function " + entry + " has no event source " + removed.identity()
                            + " (see `laambda event-sources " + entry + "`)."));
            List<String> next = new ArrayList<>(e.eventSources());
            next.remove(existing);
            return e.withEventSources(next);
        }, "Remove " + entry + " event source " + removed.identity());
    }

    public Release clearEventSources(App app, User by, String entry) {
        return changeFormation(app, by, entry, Release.Kind.EVENT_SOURCES, e -> {
            if (e.eventSources().isEmpty()) {
                throw LaambdaException.conflict("no_event_sources", "Function " + entry + " has no event sources to clear.");
            }
            return e.withEventSources(List.of());
        }, "Remove every " + entry + " event source");
    }

    /** A deploy: the built artifact with the current config, and one function per process type. */
    public Release deploy(App app, User by, String gitSha, long buildId, String artifactSha,
                          Map<String, String> processTypes, String runtime, Consumer<String> progress) {
        return goingLive.release(app, progress, current -> {
            Formation previous = current.map(r -> Formation.fromJson(r.formationJson())).orElse(Formation.empty());
            Formation formation = Formation.forDeploy(app.name(), processTypes, runtime, previous);
            return new NewRelease(app.id(), Release.Kind.DEPLOY, "Deploy " + gitSha.substring(0, 7), artifactSha,
                    gitSha, buildId, current.map(Release::configCiphertext).orElseGet(() -> cipher.encrypt(ConfigVars.empty())),
                    current.map(Release::configKeyId).orElse(cipher.keyId()), formation.toJson(), null, by.id());
        });
    }

    /** A new release with vK's artifact, config and formation; only a release that was once live qualifies. */
    public Release rollback(App app, User by, int version) {
        Release target = find(app, version);
        if (!target.wasLive()) {
            throw LaambdaException.conflict("release_not_rollbackable", "Release v" + version + " is " + target.status().sqlName()
                    + " and was never live: roll back to a release that was.");
        }
        return goingLive.release(app, current -> new NewRelease(app.id(), Release.Kind.ROLLBACK,
                "Rollback to v" + version, target.artifactSha(), target.gitSha(), target.buildId(),
                target.configCiphertext(), target.configKeyId(), target.formationJson(), version, by.id()));
    }

    public Release find(App app, int version) {
        return releases.find(app.id(), version).orElseThrow(() -> LaambdaException.notFound("release_not_found",
                "App '" + app.name() + "' has no release v" + version + "."));
    }

    public List<Release> list(App app, int limit, Integer beforeVersion) {
        return releases.list(app.id(), limit, beforeVersion);
    }

    private Release changeFormation(App app, User by, String entry, Release.Kind kind,
                                    java.util.function.UnaryOperator<FormationEntry> change, String description) {
        return goingLive.release(app, current -> {
            Formation formation = current.map(r -> Formation.fromJson(r.formationJson())).orElse(Formation.empty())
                    .withEntry(entry, change);
            Release base = current.orElseThrow();
            return copyOf(current, app, by, kind, description, base.configCiphertext(), base.configKeyId(),
                    formation.toJson());
        });
    }

    /** The current release with one part replaced; {@code formationJson} null keeps the current formation. */
    private NewRelease copyOf(Optional<Release> current, App app, User by, Release.Kind kind, String description,
                              byte[] configCiphertext, String configKeyId, String formationJson) {
        String formation = formationJson != null ? formationJson
                : current.map(Release::formationJson).orElse(Formation.empty().toJson());
        return new NewRelease(app.id(), kind, description,
                current.map(Release::artifactSha).orElse(null), current.map(Release::gitSha).orElse(null),
                current.map(Release::buildId).orElse(null), configCiphertext, configKeyId, formation, null, by.id());
    }

    private static String describe(Map<String, String> changes) {
        List<String> set = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        changes.forEach((key, value) -> (value == null ? removed : set).add(key));
        List<String> parts = new ArrayList<>();
        if (!set.isEmpty()) {
            parts.add("Set " + String.join(", ", set));
        }
        if (!removed.isEmpty()) {
            parts.add((parts.isEmpty() ? "Remove " : "remove ") + String.join(", ", removed));
        }
        return String.join("; ", parts) + (changes.size() == 1 ? " config var" : " config vars");
    }
}
