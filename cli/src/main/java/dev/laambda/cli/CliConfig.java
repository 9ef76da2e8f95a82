package dev.laambda.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CLI's stored login, {@code ~/.laambda/config.json} = {@code {"server": URL, "token": T}}.
 * The file holds a secret, so it is written with mode 600 in a directory with mode 700.
 */
final class CliConfig {

    static final String FILE_NAME = "config.json";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final Json json;

    CliConfig(Path dir, Json json) {
        this.dir = dir;
        this.json = json;
    }

    /** {@code $HOME/.laambda}, with HOME from the given environment first, then the {@code user.home} property. */
    static Path defaultDir(Map<String, String> env) {
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".laambda");
    }

    Path file() {
        return dir.resolve(FILE_NAME);
    }

    /** The stored login, empty when there is no config file; either field may be null. */
    Optional<Login> read() {
        Path file = file();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isObject()) {
                throw new CliException("Cannot read " + file + ": it is not a JSON object. Run 'laambda login' again.");
            }
            return Optional.of(new Login(text(root, "server"), text(root, "token")));
        } catch (JsonProcessingException e) {
            throw new CliException("Cannot read " + file + ": it is not valid JSON. Run 'laambda login' again.");
        } catch (IOException e) {
            throw new CliException("Cannot read " + file + ": " + e.getMessage() + ".");
        }
    }

    /** Replaces the stored login in one step: a new owner-only file moved over the old one. */
    void write(Login login) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("server", login.server());
        content.put("token", login.token());
        try {
            createOwnerOnlyDir();
            Path temp = posix()
                    ? Files.createTempFile(dir, FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                    : Files.createTempFile(dir, FILE_NAME, ".tmp");
            try {
                Files.writeString(temp, json.write(content) + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CliException("Cannot write " + file() + ": " + e.getMessage() + ".");
        }
    }

    private void createOwnerOnlyDir() throws IOException {
        Files.createDirectories(dir);
        if (posix()) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
