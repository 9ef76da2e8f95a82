package dev.laambda.store;

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

    public long count() {
        return database.transaction(c -> Jdbc.queryOne(c, "SELECT count(*) FROM artifacts", r -> r.getLong(1)).orElse(0L));
    }
}
