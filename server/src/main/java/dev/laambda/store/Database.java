package dev.laambda.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.laambda.LaambdaException;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The connection pool to PostgreSQL, migrated by Flyway at start, and the way to run work in a transaction. */
public final class Database implements AutoCloseable {

    /** Work done on one connection; the transaction commits when it returns and rolls back when it throws. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Connects to a JDBC URL and brings the schema up to date with the migrations packaged in the jar. */
    public static Database connect(JdbcTarget target) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbcUrl());
        if (target.user() != null) {
            config.setUsername(target.user());
        }
        if (target.password() != null) {
            config.setPassword(target.password());
        }
        config.setMaximumPoolSize(16);
        config.setPoolName("laambda");
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new Database(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * One statement on its own, without a transaction around it (no BEGIN and COMMIT round trips): for
     * single-statement reads on hot paths, such as every API call's token and app lookups.
     */
    public <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    public <T> T transaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** A database failure: the server's fault, not the user's. */
    public static final class DatabaseException extends LaambdaException {
        DatabaseException(SQLException cause) {
            super(Kind.UNAVAILABLE, "database_error", "The database failed: " + cause.getMessage());
            initCause(cause);
        }
    }
}
