package dev.laambda.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Where the database is: a JDBC URL and optional credentials, parsed from DATABASE_URL. */
public record JdbcTarget(String jdbcUrl, String user, String password) {

    /** Accepts Heroku-style postgres://user:pass@host:port/db as well as a jdbc:postgresql:// URL. */
    public static JdbcTarget fromDatabaseUrl(String databaseUrl) {
        if (databaseUrl.startsWith("jdbc:")) {
            return new JdbcTarget(databaseUrl, null, null);
        }
        URI uri = URI.create(databaseUrl);
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new JdbcTarget("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query, user, password);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + jdbcUrl + ", user=" + user + "]";
    }
}
