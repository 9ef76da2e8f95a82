package dev.laambda.store;

import dev.laambda.LaambdaException;
import dev.laambda.platform.PlatformKind;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The apps table and who may see each app (owner, collaborators). */
public final class AppRepository {

    private static final String SELECT = "SELECT a.id, a.name, a.owner_id, u.email AS owner_email, a.platform, a.region, "
            + "a.role_arn, "
            + "a.runtime, a.current_release_id, r.version AS current_version, a.created_at "
            + "FROM apps a JOIN users u ON u.id = a.owner_id LEFT JOIN releases r ON r.id = a.current_release_id ";

    private final Database database;

    public AppRepository(Database database) {
        this.database = database;
    }

    /** Creates the app and, in the same transaction, its first release. */
    public App create(String name, long ownerId, PlatformKind platform, String region, String roleArn, String runtime,
                      Function<Long, NewRelease> firstRelease) {
        return database.transaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM apps WHERE name = ?", r -> 1, name).isPresent()) {
                throw LaambdaException.conflict("app_exists", "App '" + name + "' already exists: choose another name.");
            }
            long appId = Jdbc.queryOne(c,
                    "INSERT INTO apps (name, owner_id, platform, region, role_arn, runtime) VALUES (?, ?, ?, ?, ?, ?) "
                            + "RETURNING id",
                    r -> r.getLong(1), name, ownerId, platform.id(), region, roleArn, runtime).orElseThrow();
            ReleaseRepository.appendActive(c, appId, current -> firstRelease.apply(appId));
            return Jdbc.queryOne(c, SELECT + "WHERE a.id = ?", AppRepository::map, appId).orElseThrow();
        });
    }

    public Optional<App> findById(long appId) {
        return database.read(c -> Jdbc.queryOne(c, SELECT + "WHERE a.id = ?", AppRepository::map, appId));
    }

    public Optional<App> findByName(String name) {
        return database.read(c -> Jdbc.queryOne(c, SELECT + "WHERE a.name = ?", AppRepository::map, name));
    }

    /** Every app's id by its name. */
    public Map<String, Long> idsByName() {
        Map<String, Long> ids = new HashMap<>();
        database.read(c -> Jdbc.query(c, "SELECT id, name FROM apps", r -> ids.put(r.getString("name"), r.getLong("id"))));
        return ids;
    }

    /** Apps the user owns or collaborates on; every app for an admin. */
    public List<App> listVisibleTo(User user) {
        return database.transaction(c -> Jdbc.query(c, SELECT
                        + "WHERE ? OR a.owner_id = ? OR EXISTS (SELECT 1 FROM collaborators k WHERE k.app_id = a.id AND k.user_id = ?) "
                        + "ORDER BY a.name",
                AppRepository::map, user.isAdmin(), user.id(), user.id()));
    }

    /** Every app on {@code platform} (the local schedules read the local ones each minute). */
    public List<App> listOn(PlatformKind platform) {
        return database.read(c -> Jdbc.query(c, SELECT + "WHERE a.platform = ? ORDER BY a.id", AppRepository::map,
                platform.id()));
    }

    public boolean isCollaborator(long appId, long userId) {
        return database.read(c -> Jdbc.queryOne(c,
                "SELECT 1 FROM collaborators WHERE app_id = ? AND user_id = ?", r -> 1, appId, userId).isPresent());
    }

    /** Owner first, then collaborators by email. */
    public List<Collaborator> collaborators(long appId) {
        return database.transaction(c -> Jdbc.query(c,
                "SELECT u.email, 'owner' AS role FROM apps a JOIN users u ON u.id = a.owner_id WHERE a.id = ? "
                        + "UNION ALL "
                        + "(SELECT u.email, 'collaborator' AS role FROM collaborators k JOIN users u ON u.id = k.user_id "
                        + "WHERE k.app_id = ? ORDER BY u.email)",
                r -> new Collaborator(r.getString("email"), r.getString("role")), appId, appId));
    }

    /** Adds a collaborator; false when the user already has access. */
    public boolean addCollaborator(long appId, long userId) {
        return database.transaction(c -> Jdbc.update(c,
                "INSERT INTO collaborators (app_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", appId, userId) == 1);
    }

    public boolean removeCollaborator(long appId, long userId) {
        return database.transaction(c -> Jdbc.update(c,
                "DELETE FROM collaborators WHERE app_id = ? AND user_id = ?", appId, userId) == 1);
    }

    /** Deletes the app, and with it (by cascade, or here for log lines, which have no foreign key) all it owns. */
    public void delete(long appId) {
        database.transaction(c -> {
            Jdbc.update(c, "DELETE FROM log_lines WHERE app_id = ?", appId);
            return Jdbc.update(c, "DELETE FROM apps WHERE id = ?", appId);
        });
    }

    private static App map(ResultSet row) throws SQLException {
        return new App(row.getLong("id"), row.getString("name"), row.getLong("owner_id"), row.getString("owner_email"),
                PlatformKind.parse(row.getString("platform")), row.getString("region"), row.getString("role_arn"), row.getString("runtime"),
                Jdbc.nullableLong(row, "current_release_id"), Jdbc.nullableInt(row, "current_version"),
                Jdbc.instant(row, "created_at"));
    }

    /** Someone with access to an app. */
    public record Collaborator(String email, String role) {
    }
}
