package dev.laambda.store;

import dev.laambda.Directories;
import dev.laambda.bucket.AppObjects;
import dev.laambda.bucket.S3Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where each app's own files live in the data directory: its git repository (repos/ID.git), build cache
 * (cache/ID/), build workspaces (workspaces/ID/) and unpacked function code (functions/ID/). All are keyed by the
 * app's id, never its name: ids are never reused, so an app made later under a destroyed app's name starts empty.
 * With a shared bucket, what the app keeps there (apps/ID/: build caches, the repository's bundle) is its too.
 * Destroying an app removes them; at start, an older version's name-keyed ones move to their app's id, and those
 * of apps that no longer exist go.
 */
public final class AppDirectories {

    private static final Logger log = LoggerFactory.getLogger(AppDirectories.class);

    private static final Pattern ID = Pattern.compile("[0-9]+");
    /** Names an older version keyed entries by; anything else in these directories is not ours to touch. */
    private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{1,29}");
    private static final Pattern BUILD_WORKSPACE = Pattern.compile("build-[0-9]+");
    private static final Pattern ARTIFACT_SHA = Pattern.compile("[0-9a-f]{64}(\\.partial)?");

    /**
     * One kind of per-app directory: {@code root/ID + suffix}. An older version kept it under the app's name
     * ({@code legacyByName}: moved to the id at start), or under something no app can be found by
     * ({@code legacyOther}, a build id or an artifact's sha256: removed at start, nothing needs it).
     */
    private record Kind(String label, Path root, String suffix, boolean legacyByName, Pattern legacyOther) {
        Path of(long appId) {
            return root.resolve(appId + suffix);
        }
    }

    private final List<Kind> kinds;
    private final Optional<S3Objects> bucket;

    public AppDirectories(Path repos, Path buildCaches, Path workspaces, Path functionCode, Optional<S3Objects> bucket) {
        this.bucket = bucket;
        this.kinds = List.of(
                new Kind("repo", repos, ".git", true, null),
                new Kind("build_cache", buildCaches, "", true, null),
                new Kind("workspaces", workspaces, "", false, BUILD_WORKSPACE),
                new Kind("function_code", functionCode, "", false, ARTIFACT_SHA));
    }

    /**
     * Removes everything the app kept (its app row is gone, or it is new and nothing may be there). A directory
     * that will not go (code an instance is still unpacking) is logged and removed at the next start.
     */
    public void delete(long appId) {
        for (Kind kind : kinds) {
            try {
                Directories.deleteTree(kind.of(appId));
            } catch (UncheckedIOException e) {
                log.warn("event=app_data_cleanup_failed kind={} app_id={} error=\"{}\"", kind.label(), appId, e.getMessage());
            }
        }
        bucket.ifPresent(shared -> {
            try {
                int deleted = shared.deleteUnder(AppObjects.all(appId));
                if (deleted > 0) {
                    log.info("event=app_objects_deleted app_id={} objects={}", appId, deleted);
                }
            } catch (RuntimeException e) {
                log.warn("event=app_data_cleanup_failed kind=bucket app_id={} error=\"{}\"", appId, S3Objects.logValue(e));
            }
        });
    }

    /**
     * Brings the data directory to this layout, before anything serves: moves an older version's name-keyed
     * directories to their app's id, and removes those of apps that are gone (and legacy workspaces and code).
     * {@code appIdsByName} is asked after the directories are listed, so an app created meanwhile keeps its own.
     */
    public void migrate(Supplier<Map<String, Long>> appIdsByName) {
        Map<Kind, List<String>> entries = new java.util.LinkedHashMap<>();
        for (Kind kind : kinds) {
            entries.put(kind, list(kind));
        }
        Map<String, Long> apps = appIdsByName.get();
        Set<String> ids = apps.values().stream().map(String::valueOf).collect(Collectors.toSet());
        for (Map.Entry<Kind, List<String>> listed : entries.entrySet()) {
            Kind kind = listed.getKey();
            int removed = 0;
            for (String key : listed.getValue()) {
                Path dir = kind.root().resolve(key + kind.suffix());
                if (ID.matcher(key).matches()) {
                    if (!ids.contains(key)) {
                        removed += remove(kind, dir);
                    }
                } else if (kind.legacyByName() && apps.containsKey(key)) {
                    moveToId(kind, key, apps.get(key));
                } else {
                    removed += remove(kind, dir);
                }
            }
            if (removed > 0) {
                log.info("event=app_data_removed kind={} count={} reason=\"no app has this id or name, or an older layout\"",
                        kind.label(), removed);
            }
        }
    }

    /** The keys of the kind's entries this class manages (an id, or a legacy key), without the suffix. */
    private static List<String> list(Kind kind) {
        if (!Files.isDirectory(kind.root())) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> children = Files.list(kind.root())) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (!name.endsWith(kind.suffix())) {
                    continue;
                }
                String key = name.substring(0, name.length() - kind.suffix().length());
                boolean legacy = kind.legacyByName() ? APP_NAME.matcher(key).matches()
                        : kind.legacyOther().matcher(key).matches();
                if (ID.matcher(key).matches() || legacy) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + kind.root() + ": " + e.getMessage(), e);
        }
        return keys;
    }

    private void moveToId(Kind kind, String name, long appId) {
        Path from = kind.root().resolve(name + kind.suffix());
        Path to = kind.of(appId);
        try {
            if (Files.exists(to)) {
                // Both exist only if a newer version already ran: the id-keyed one is the app's.
                Directories.deleteTree(from);
                log.info("event=app_data_removed kind={} app={} app_id={} reason=\"the app already has its own\"",
                        kind.label(), name, appId);
                return;
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            log.info("event=app_data_migrated kind={} app={} app_id={}", kind.label(), name, appId);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static int remove(Kind kind, Path dir) {
        try {
            Directories.deleteTree(dir);
            return 1;
        } catch (UncheckedIOException e) {
            log.warn("event=app_data_cleanup_failed kind={} dir={} error=\"{}\"", kind.label(), dir.getFileName(), e.getMessage());
            return 0;
        }
    }
}
