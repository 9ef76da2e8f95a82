package dev.laambda.cli;

import java.util.List;
import java.util.Map;

/** The API's JSON shapes as the CLI reads them (docs/api.md); fields the CLI does not know are ignored. */
final class Models {

    private Models() {
    }

    record User(long id, String email, boolean isAdmin, String createdAt) {
    }

    /** {@code currentRelease} is the version number of the app's current release, or null. */
    record App(String name, String owner, String platform, String region, String roleArn, String runtime,
               Integer currentRelease, String gitUrl, String createdAt) {
    }

    record SshKey(String fingerprint, String name, String publicKey, String createdAt) {
    }

    /** {@code log} is only in the answer for one build. */
    record Build(long id, String gitSha, String status, String startedAt, String finishedAt, String log) {
    }

    record Token(long id, String description, String createdAt, String lastUsedAt, String revokedAt) {
    }

    record Drain(long id, String url, String shown, String createdAt) {
    }

    record Collaborator(String email, String role) {
    }

    /** {@code formation} and {@code configKeys} are only in the answer for one release. */
    record Release(int version, String kind, String description, String status, String artifactSha, String gitSha,
                   String createdBy, String createdAt, Integer rolledBackFrom, boolean current,
                   List<FormationEntry> formation, List<String> configKeys) {
    }

    /**
     * {@code reservedConcurrency} is null when the server's limit applies; {@code state} and the instance counts
     * are only in the answer for the current functions; {@code arn}, {@code liveVersion} and {@code url} (the web
     * entry's Function URL) only for an aws app's.
     */
    record FormationEntry(String entry, String handler, String functionName, Integer memoryMb, Integer timeoutS,
                          Integer reservedConcurrency, String runtime, String state, Integer warmInstances,
                          Integer busyInstances, String arn, String liveVersion, String url) {
    }

    /** The answer to a config change: the new release and the config it carries. */
    record ReleasedConfig(Release release, Map<String, String> config) {
    }

    /** The answer to a formation change: the new release and the changed entry. */
    record ReleasedEntry(Release release, FormationEntry entry) {
    }

    /** {@code note} says when the app's platform does not run the source (locally: queues, streams, buckets). */
    record EventSource(String source, String kind, Integer batchSize, String startingPosition, String note) {
    }

    record ReleasedEventSources(Release release, List<EventSource> eventSources) {
    }
}
