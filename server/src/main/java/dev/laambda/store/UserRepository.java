package dev.laambda.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The users table. */
public final class UserRepository {

    private static final String COLUMNS = "id, email, is_admin, created_at";

    private final Database database;

    public UserRepository(Database database) {
        this.database = database;
    }

    public User create(String email, boolean isAdmin) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "INSERT INTO users (email, is_admin) VALUES (?, ?) RETURNING " + COLUMNS,
                UserRepository::map, email, isAdmin).orElseThrow());
    }

    public Optional<User> findByEmail(String email) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(?)", UserRepository::map, email));
    }

    public Optional<User> findById(long id) {
        return database.transaction(c -> Jdbc.queryOne(c,
                "SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::map, id));
    }

    public List<User> list() {
        return database.transaction(c -> Jdbc.query(c,
                "SELECT " + COLUMNS + " FROM users ORDER BY id", UserRepository::map));
    }

    public long count() {
        return database.transaction(c -> Jdbc.queryOne(c, "SELECT count(*) FROM users", r -> r.getLong(1)).orElse(0L));
    }

    static User map(ResultSet row) throws SQLException {
        return new User(row.getLong("id"), row.getString("email"), row.getBoolean("is_admin"), Jdbc.instant(row, "created_at"));
    }
}
