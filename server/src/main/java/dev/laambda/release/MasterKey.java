package dev.laambda.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Finds the 32-byte master key: LAAMBDA_MASTER_KEY (base64), else a key file made on first start with mode 600. */
public final class MasterKey {

    private MasterKey() {
    }

    public static byte[] load(Optional<String> fromEnvironment, Path keyFile) {
        if (fromEnvironment.isPresent()) {
            return decode(fromEnvironment.get(), "LAAMBDA_MASTER_KEY");
        }
        try {
            if (Files.exists(keyFile)) {
                return decode(Files.readString(keyFile).trim(), "the key file " + keyFile);
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(keyFile.getParent());
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the master key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`)");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(source + " must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`), got "
                    + key.length + " bytes");
        }
        return key;
    }
}
