package dev.laambda.store;

/** What a new release is made of; the version is assigned when it is stored. */
public record NewRelease(long appId, Release.Kind kind, String description, String artifactSha, String gitSha,
                         Long buildId, byte[] configCiphertext, String configKeyId, String formationJson,
                         Integer rolledBackFrom, long createdById) {
}
