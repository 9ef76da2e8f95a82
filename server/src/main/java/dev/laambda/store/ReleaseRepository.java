package dev.laambda.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The releases table. New releases are appended under a row lock on the app, so versions are
 * contiguous and the next release is always computed from the current one, even across servers.
 */
public final class ReleaseRepository {

    private static final String SELECT = "SELECT r.id, r.app_id, r.version, r.kind, r.description, r.artifact_sha, r.git_sha, "
            + "r.build_id, r.config_ciphertext, r.config_key_id, r.formation::text AS formation, r.rolled_back_from, "
            + "r.status, r.created_by, u.email AS created_by_email, r.created_at "
            + "FROM releases r LEFT JOIN users u ON u.id = r.created_by ";

    private final Database database;

    public ReleaseRepository(Database database) {
        this.database = database;
    }

    /**
     * The switch of a release going live (docs/architecture.md, "Going live"): stores {@code next} as
     * {@code version} and makes it the app's current release, in one short transaction. The caller holds the
     * app's release lock and made {@code next} from release {@code replacedId} (null: the app had none); when
     * either no longer holds, nothing is stored and this throws.
     */
    public Release appendActive(long appId, Long replacedId, int version, NewRelease next) {
        return database.transaction(c -> {
            lockApp(c, appId);
            Long currentId = current(c, appId).map(Release::id).orElse(null);
            if (!java.util.Objects.equals(currentId, replacedId)) {
                throw new IllegalStateException("app " + appId + " moved from release " + replacedId + " to " + currentId
                        + " while v" + version + " was being prepared: its release lock was not held");
            }
            Release release = insert(c, next, version, Release.Status.ACTIVE);
            makeCurrent(c, appId, release.id());
            return release;
        });
    }

    /** Stores {@code next} as {@code version}, failed: it never went live, and the current release stays. */
    public Release appendFailed(int version, NewRelease next) {
        return database.transaction(c -> insert(c, next, version, Release.Status.FAILED));
    }

    /** Every master key id (local:HASH) some release's config is sealed with. */
    public List<String> masterKeyIds() {
        return database.read(c -> Jdbc.query(c, "SELECT DISTINCT config_key_id FROM releases "
                + "WHERE config_key_id LIKE 'local:%' ORDER BY config_key_id", r -> r.getString(1)));
    }

    /** A config snapshot as stored: its sealed bytes and the key id they were sealed with. */
    public record SealedConfig(String keyId, byte[] ciphertext) {
    }

    /** The newest config sealed with each KMS key (kms:KEY) any release uses: one to try opening per key. */
    public List<SealedConfig> newestKmsSealedConfigs() {
        return database.read(c -> Jdbc.query(c, "SELECT DISTINCT ON (config_key_id) config_key_id, config_ciphertext "
                + "FROM releases WHERE config_key_id LIKE 'kms:%' ORDER BY config_key_id, id DESC",
                r -> new SealedConfig(r.getString(1), r.getBytes(2))));
    }

    /** The version the app's next release gets; stable while the caller holds the app's release lock. */
    public int nextVersion(long appId) {
        return database.read(c -> nextVersion(c, appId));
    }

    /** The app's first release, stored in the transaction that creates the app. */
    static Release appendActive(Connection c, long appId, Function<Optional<Release>, NewRelease> next) throws SQLException {
        lockApp(c, appId);
        Optional<Release> current = current(c, appId);
        Release release = insert(c, next.apply(current), nextVersion(c, appId), Release.Status.ACTIVE);
        makeCurrent(c, appId, release.id());
        return release;
    }

    public Optional<Release> current(long appId) {
        return database.read(c -> current(c, appId));
    }

    /**
     * Whether a user who is not an admin (or no longer exists) ever pushed code to the app or changed its config;
     * v1, the empty initial release its owner made, does not count.
     */
    public boolean touchedByNonAdmin(long appId) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT 1 FROM releases r LEFT JOIN users u ON u.id = r.created_by "
                + "WHERE r.app_id = ? AND (r.kind = 'deploy' OR r.kind = 'config' AND r.version > 1) "
                + "AND u.is_admin IS NOT TRUE LIMIT 1", r -> 1, appId).isPresent());
    }

    public Optional<Release> find(long appId, int version) {
        return database.transaction(c -> Jdbc.queryOne(c, SELECT + "WHERE r.app_id = ? AND r.version = ?",
                ReleaseRepository::map, appId, version));
    }

    /** Newest first; {@code beforeVersion} (exclusive) pages back through history. */
    public List<Release> list(long appId, int limit, Integer beforeVersion) {
        return database.transaction(c -> Jdbc.query(c,
                SELECT + "WHERE r.app_id = ? AND r.version < ? ORDER BY r.version DESC LIMIT ?",
                ReleaseRepository::map, appId, beforeVersion == null ? Integer.MAX_VALUE : beforeVersion, limit));
    }

    private static void lockApp(Connection c, long appId) throws SQLException {
        Jdbc.queryOne(c, "SELECT id FROM apps WHERE id = ? FOR UPDATE", r -> 1, appId);
    }

    private static Optional<Release> current(Connection c, long appId) throws SQLException {
        return Jdbc.queryOne(c, SELECT + "JOIN apps a ON a.current_release_id = r.id WHERE a.id = ?",
                ReleaseRepository::map, appId);
    }

    private static int nextVersion(Connection c, long appId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT coalesce(max(version), 0) + 1 FROM releases WHERE app_id = ?",
                r -> r.getInt(1), appId).orElseThrow();
    }

    private static Release insert(Connection c, NewRelease release, int version, Release.Status status)
            throws SQLException {
        long id = Jdbc.queryOne(c,
                "INSERT INTO releases (app_id, version, kind, description, artifact_sha, git_sha, build_id, "
                        + "config_ciphertext, config_key_id, formation, rolled_back_from, status, created_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                r -> r.getLong(1), release.appId(), version, release.kind().sqlName(), release.description(),
                release.artifactSha(), release.gitSha(), release.buildId(), release.configCiphertext(),
                release.configKeyId(), new Jdbc.JsonbText(release.formationJson()), release.rolledBackFrom(),
                status.sqlName(), release.createdById()).orElseThrow();
        return Jdbc.queryOne(c, SELECT + "WHERE r.id = ?", ReleaseRepository::map, id).orElseThrow();
    }

    private static void makeCurrent(Connection c, long appId, long releaseId) throws SQLException {
        Jdbc.update(c, "UPDATE releases SET status = 'superseded' "
                + "WHERE id = (SELECT current_release_id FROM apps WHERE id = ?) AND id <> ?", appId, releaseId);
        Jdbc.update(c, "UPDATE releases SET status = 'active' WHERE id = ?", releaseId);
        Jdbc.update(c, "UPDATE apps SET current_release_id = ? WHERE id = ?", releaseId, appId);
    }

    private static Release map(ResultSet row) throws SQLException {
        return new Release(row.getLong("id"), row.getLong("app_id"), row.getInt("version"),
                Release.Kind.valueOf(row.getString("kind").toUpperCase()), row.getString("description"),
                row.getString("artifact_sha"), row.getString("git_sha"), Jdbc.nullableLong(row, "build_id"),
                row.getBytes("config_ciphertext"), row.getString("config_key_id"), row.getString("formation"),
                Jdbc.nullableInt(row, "rolled_back_from"), Release.Status.valueOf(row.getString("status").toUpperCase()),
                Jdbc.nullableLong(row, "created_by"), row.getString("created_by_email"), Jdbc.instant(row, "created_at"));
    }
}
