package dev.laambda.store;

import java.util.ArrayList;
import java.util.List;

/** The artifacts table: each distinct artifact once, by sha256. */
public final class ArtifactRepository {

    private final Database database;

    public ArtifactRepository(Database database) {
        this.database = database;
    }

    /** Records the artifact; a second record of the same sha changes nothing. */
    public void record(String sha256, long size, String storeUri) {
        database.transaction(c -> Jdbc.update(c,
                "INSERT INTO artifacts (sha256, size, store_uri) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                sha256, size, storeUri));
    }

    /** The artifacts the app's releases run. */
    public List<String> ofApp(long appId) {
        return database.transaction(c -> Jdbc.query(c, "SELECT DISTINCT artifact_sha FROM releases WHERE app_id = ? "
                + "AND artifact_sha IS NOT NULL ORDER BY artifact_sha", r -> r.getString(1), appId));
    }

    /**
     * Deletes the records of those of {@code sha256s} no release references (an app with identical code may
     * share one) and returns them: the artifacts whose bytes may go. A release made later with one of them fails
     * on its foreign key rather than pointing at deleted bytes.
     */
    public List<String> forgetUnreferenced(List<String> sha256s) {
        List<String> forgotten = new ArrayList<>();
        for (String sha : sha256s) {
            database.transaction(c -> Jdbc.query(c, "DELETE FROM artifacts a WHERE a.sha256 = ? AND NOT EXISTS "
                    + "(SELECT 1 FROM releases r WHERE r.artifact_sha = a.sha256) RETURNING a.sha256",
                    r -> r.getString(1), sha)).forEach(forgotten::add);
        }
        return forgotten;
    }

    public long count() {
        return database.transaction(c -> Jdbc.queryOne(c, "SELECT count(*) FROM artifacts", r -> r.getLong(1)).orElse(0L));
    }
}
