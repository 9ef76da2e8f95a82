package dev.laambda.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class JdbcTargetTest {

    @Test
    void aHerokuStyleUrlBecomesAJdbcUrlWithCredentials() {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl("postgres://laambda:p%40ss@db.internal:6543/laambda?sslmode=require");
        assertEquals("jdbc:postgresql://db.internal:6543/laambda?sslmode=require", target.jdbcUrl());
        assertEquals("laambda", target.user());
        assertEquals("p@ss", target.password());
    }

    @Test
    void theDefaultPortIs5432() {
        assertEquals("jdbc:postgresql://db:5432/app", JdbcTarget.fromDatabaseUrl("postgresql://u@db/app").jdbcUrl());
    }

    @Test
    void aJdbcUrlIsUsedAsIs() {
        JdbcTarget target = JdbcTarget.fromDatabaseUrl("jdbc:postgresql://localhost/x?user=a");
        assertEquals("jdbc:postgresql://localhost/x?user=a", target.jdbcUrl());
        assertNull(target.user());
    }

    @Test
    void thePasswordNeverShowsInItsDescription() {
        assertFalse(JdbcTarget.fromDatabaseUrl("postgres://u:topsecret@h/d").toString().contains("topsecret"));
    }
}
