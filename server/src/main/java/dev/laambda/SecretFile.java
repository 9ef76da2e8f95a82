package dev.laambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A secret the server keeps in its data directory (the master key, the embedded PostgreSQL's password):
 * one line in a file only the server's user can read (mode 600), written whole or not at all.
 */
public final class SecretFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {
    }

    /** The file's line, if the file exists. */
    public static Optional<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(file).trim());
    }

    /** Writes {@code secret} as the file's one line, mode 600. */
    public static void create(Path file, String secret) throws IOException {
        writeOwnerOnly(file, secret + "\n");
    }

    /**
     * Replaces {@code file} with {@code content}, mode 600 from the start (never readable by others, not even for a moment).
     * Through a temporary file and a rename, so a crash leaves the old content or the new, never half.
     */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, content);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code length} random bytes. */
    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code length} random bytes as unpadded base64url: safe in a URL, a connection string and an SQL literal. */
    public static String randomToken(int length) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(length));
    }
}
