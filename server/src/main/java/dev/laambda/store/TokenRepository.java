package dev.laambda.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The tokens table: hashes of API tokens, their owners and whether they are revoked. */
public final class TokenRepository {

    private static final String COLUMNS = "id, user_id, description, created_at, last_used_at, revoked_at";

    private final Database database;

    public TokenRepository(Database database) {
        this.database = database;
    }

    public ApiToken create(long userId, String tokenHash, String description) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "INSERT INTO tokens (user_id, token_hash, description) VALUES (?, ?, ?) RETURNING " + COLUMNS,
                TokenRepository::map, userId, tokenHash, description).orElseThrow());
    }

    /** The user a live (unrevoked) token belongs to; records the use. */
    public Optional<User> userForLiveToken(String tokenHash) {
        record Found(User user, boolean useStale) {
        }
        Optional<Found> found = database.read(c -> Jdbc.queryOne(c,
                "SELECT u.id, u.email, u.is_admin, u.created_at, "
                        + "(t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS use_stale "
                        + "FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL",
                row -> new Found(UserRepository.map(row), row.getBoolean("use_stale")), tokenHash));
        // Once a minute is precise enough, and spares every other API call a write.
        if (found.isPresent() && found.get().useStale()) {
            database.transaction(c -> Jdbc.update(c, "UPDATE tokens SET last_used_at = now() WHERE token_hash = ? "
                    + "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", tokenHash));
        }
        return found.map(Found::user);
    }

    public List<ApiToken> listForUser(long userId) {
        return database.transaction(c -> Jdbc.query(c,
                "SELECT " + COLUMNS + " FROM tokens WHERE user_id = ? ORDER BY id", TokenRepository::map, userId));
    }

    /** Revokes one of the user's own tokens; empty when the user has no such token. */
    public Optional<ApiToken> revoke(long userId, long tokenId) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = ? AND user_id = ? RETURNING " + COLUMNS,
                TokenRepository::map, tokenId, userId));
    }

    private static ApiToken map(ResultSet row) throws SQLException {
        return new ApiToken(row.getLong("id"), row.getLong("user_id"), row.getString("description"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "last_used_at"), Jdbc.instant(row, "revoked_at"));
    }
}
