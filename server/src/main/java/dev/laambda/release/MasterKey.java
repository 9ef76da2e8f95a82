package dev.laambda.release;

import dev.laambda.SecretFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
            Optional<String> kept = SecretFile.read(keyFile);
            if (kept.isPresent()) {
                return decode(kept.get(), "the key file " + keyFile);
            }
            byte[] key = SecretFile.randomBytes(32);
            SecretFile.create(keyFile, Base64.getEncoder().encodeToString(key));
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
