package dev.laambda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every server setting, read once from the environment and validated at start.
 * README.md documents each one; an invalid value stops the server with a message naming it.
 */
public record ServerConfig(
        Path dataDir,
        String httpHost,
        int httpPort,
        Optional<String> databaseUrl,
        Optional<String> masterKey,
        String adminEmail,
        String defaultRegion) {

    public static final String DATA = "LAAMBDA_DATA";
    public static final String HTTP_HOST = "LAAMBDA_HTTP_HOST";
    public static final String HTTP_PORT = "LAAMBDA_HTTP_PORT";
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String MASTER_KEY = "LAAMBDA_MASTER_KEY";
    public static final String ADMIN_EMAIL = "LAAMBDA_ADMIN_EMAIL";
    public static final String DEFAULT_REGION = "LAAMBDA_DEFAULT_REGION";

    /** Reads and validates all settings; throws with every problem listed, each naming its setting. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Path dataDir = Path.of(env.getOrDefault(DATA, defaultDataDir(env))).toAbsolutePath();
        String host = env.getOrDefault(HTTP_HOST, "0.0.0.0");
        int port = port(env, HTTP_PORT, 5000, problems);
        Optional<String> databaseUrl = nonBlank(env.get(DATABASE_URL));
        databaseUrl.ifPresent(url -> {
            if (!url.startsWith("postgres://") && !url.startsWith("postgresql://") && !url.startsWith("jdbc:postgresql://")) {
                problems.add(DATABASE_URL + " must start with postgres://, postgresql:// or jdbc:postgresql://");
            }
        });
        Optional<String> masterKey = nonBlank(env.get(MASTER_KEY));
        String adminEmail = env.getOrDefault(ADMIN_EMAIL, "admin@localhost");
        if (!adminEmail.matches(EMAIL_PATTERN)) {
            problems.add(ADMIN_EMAIL + " must be an email address like admin@example.com");
        }
        String region = env.getOrDefault(DEFAULT_REGION, "us-east-1");
        if (!region.matches(REGION_PATTERN)) {
            problems.add(DEFAULT_REGION + " must be an AWS region name like us-east-1");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid server settings: " + String.join("; ", problems));
        }
        return new ServerConfig(dataDir, host, port, databaseUrl, masterKey, adminEmail, region);
    }

    public static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+$";
    public static final String REGION_PATTERN = "^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d{1,2}$";

    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    public Path masterKeyFile() {
        return dataDir.resolve("master.key");
    }

    private static String defaultDataDir(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".laambda-server").toString();
    }

    private static int port(Map<String, String> env, String name, int fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                problems.add(name + " must be a port number 0-65535 (got " + value + ")");
            }
            return port;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a port number 0-65535 (got '" + value + "')");
            return fallback;
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
