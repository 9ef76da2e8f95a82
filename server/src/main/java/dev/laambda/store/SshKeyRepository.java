package dev.laambda.store;

import dev.laambda.LaambdaException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The ssh_keys table: which user a key fingerprint belongs to. */
public final class SshKeyRepository {

    private static final String COLUMNS = "id, user_id, fingerprint, public_key, name, created_at";

    private final Database database;

    public SshKeyRepository(Database database) {
        this.database = database;
    }

    public SshKey add(long userId, String fingerprint, String publicKey, String name) {
        return database.transaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM ssh_keys WHERE fingerprint = ?", r -> 1, fingerprint).isPresent()) {
                throw LaambdaException.conflict("key_exists", "The key " + fingerprint + " is already added.");
            }
            return Jdbc.queryOne(c, "INSERT INTO ssh_keys (user_id, fingerprint, public_key, name) VALUES (?, ?, ?, ?) "
                    + "RETURNING " + COLUMNS, SshKeyRepository::map, userId, fingerprint, publicKey, name).orElseThrow();
        });
    }

    public List<SshKey> listForUser(long userId) {
        return database.transaction(c -> Jdbc.query(c,
                "SELECT " + COLUMNS + " FROM ssh_keys WHERE user_id = ? ORDER BY id", SshKeyRepository::map, userId));
    }

    public Optional<SshKey> remove(long userId, String fingerprint) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "DELETE FROM ssh_keys WHERE user_id = ? AND fingerprint = ? RETURNING " + COLUMNS,
                SshKeyRepository::map, userId, fingerprint));
    }

    public Optional<User> userForFingerprint(String fingerprint) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "SELECT u.id, u.email, u.is_admin, u.created_at FROM ssh_keys k JOIN users u ON u.id = k.user_id "
                        + "WHERE k.fingerprint = ?", UserRepository::map, fingerprint));
    }

    private static SshKey map(ResultSet row) throws SQLException {
        return new SshKey(row.getLong("id"), row.getLong("user_id"), row.getString("fingerprint"),
                row.getString("public_key"), row.getString("name"), Jdbc.instant(row, "created_at"));
    }
}
