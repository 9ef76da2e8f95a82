package dev.laambda.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.laambda.platform.FunctionStatus;
import dev.laambda.release.FormationEntry;
import dev.laambda.store.ApiToken;
import dev.laambda.store.App;
import dev.laambda.store.Build;
import dev.laambda.store.SshKey;
import dev.laambda.store.Release;
import dev.laambda.store.User;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes the API answers with (snake_case on the wire), made from stored records. */
final class Views {

    private Views() {
    }

    record UserView(long id, String email, boolean isAdmin, Instant createdAt) {
        static UserView of(User user) {
            return new UserView(user.id(), user.email(), user.isAdmin(), user.createdAt());
        }
    }

    record TokenView(long id, String description, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        static TokenView of(ApiToken token) {
            return new TokenView(token.id(), token.description(), token.createdAt(), token.lastUsedAt(), token.revokedAt());
        }
    }

    record NewTokenView(long id, String description, String token, Instant createdAt) {
    }

    record NewUserView(UserView user, String token) {
    }

    // An aws app's deployed functions (each one's ARN, the web entry's Function URL) are to join this view as an
    // optional "functions" list once the AWS platform can report them; until then it shows only what is stored.
    record AppView(String name, String owner, String platform, String region, String roleArn, String runtime,
                   Integer currentRelease, String gitUrl, Instant createdAt) {
        static AppView of(App app, String gitUrl) {
            return new AppView(app.name(), app.ownerEmail(), app.platform().id(), app.region(), app.roleArn(),
                    app.runtime(), app.currentVersion(), gitUrl, app.createdAt());
        }
    }

    record SshKeyView(String fingerprint, String name, String publicKey, Instant createdAt) {
        static SshKeyView of(SshKey key) {
            return new SshKeyView(key.fingerprint(), key.name(), key.publicKey(), key.createdAt());
        }
    }

    record BuildView(long id, String gitSha, String status, Instant startedAt, Instant finishedAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String log) {
        static BuildView of(Build build, boolean withLog) {
            return new BuildView(build.id(), build.gitSha(), build.status().sqlName(), build.startedAt(), build.finishedAt(),
                    withLog ? build.log() : null);
        }
    }

    record ReleaseView(int version, String kind, String description, String status, String artifactSha, String gitSha,
                       String createdBy, Instant createdAt, Integer rolledBackFrom, boolean current,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<EntryView> formation,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<String> configKeys) {
        static ReleaseView of(Release release, App app) {
            return new ReleaseView(release.version(), release.kind().sqlName(), release.description(),
                    release.status().sqlName(), release.artifactSha(), release.gitSha(), release.createdByEmail(),
                    release.createdAt(), release.rolledBackFrom(),
                    app.currentReleaseId() != null && app.currentReleaseId() == release.id(), null, null);
        }

        /** A release just made is the app's current one. */
        static ReleaseView ofNew(Release release) {
            return new ReleaseView(release.version(), release.kind().sqlName(), release.description(),
                    release.status().sqlName(), release.artifactSha(), release.gitSha(), release.createdByEmail(),
                    release.createdAt(), release.rolledBackFrom(), true, null, null);
        }

        ReleaseView withDetail(List<EntryView> formation, List<String> configKeys) {
            return new ReleaseView(version, kind, description, status, artifactSha, gitSha, createdBy, createdAt,
                    rolledBackFrom, current, formation, configKeys);
        }
    }

    /**
     * A Procfile entry's function; {@code reservedConcurrency} null when the server's limit applies; {@code state}
     * and the instance counts only where the platform was asked (local); {@code arn}, {@code liveVersion} (where alias
     * live points) and the web entry's Function {@code url} on AWS.
     */
    record EntryView(String entry, String handler, String functionName, int memoryMb, int timeoutS,
                     Integer reservedConcurrency, String runtime,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String state,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Integer warmInstances,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Integer busyInstances,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String arn,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String liveVersion,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String url) {
        static List<EntryView> of(Map<String, FormationEntry> entries) {
            return entries.entrySet().stream()
                    .map(e -> new EntryView(e.getKey(), e.getValue().handler(), e.getValue().functionName(),
                            e.getValue().memoryMb(), e.getValue().timeoutS(), e.getValue().reservedConcurrency(),
                            e.getValue().runtime(), null, null, null, null, null, null))
                    .toList();
        }

        EntryView withStatus(FunctionStatus status) {
            return new EntryView(entry, handler, functionName, memoryMb, timeoutS, reservedConcurrency, runtime,
                    status.state(), status.warmInstances(), status.busyInstances(), status.arn(), status.liveVersion(),
                    status.url());
        }
    }

    record LogLineView(java.time.Instant timestamp, int version, String message) {
    }

    record ReleasedConfig(ReleaseView release, Map<String, String> config) {
    }

    record ReleasedEntry(ReleaseView release, EntryView entry) {
    }

    record ConfigVarView(String key, String value) {
    }

    record DestroyedApp(String name, boolean destroyed) {
    }
}
