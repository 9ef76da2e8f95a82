package dev.laambda.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a release's config snapshot with AES-256-GCM under the master key.
 * Each snapshot gets a fresh random 96-bit nonce; the stored bytes are nonce || ciphertext+tag.
 */
public final class ConfigCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper();

    public ConfigCipher(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("The master key must be 32 bytes (AES-256), got " + masterKey.length);
        }
        this.key = new SecretKeySpec(masterKey, "AES");
        this.keyId = keyIdOf(masterKey);
    }

    /** Names the key without revealing it, so a release records which key sealed it. */
    public String keyId() {
        return keyId;
    }

    public byte[] encrypt(ConfigVars config) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(config.values()));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("Could not encrypt config: " + e.getClass().getSimpleName(), e);
        }
    }

    public ConfigVars decrypt(byte[] stored, String storedKeyId) {
        if (!keyId.equals(storedKeyId)) {
            throw new IllegalStateException("Config was sealed with master key " + storedKeyId
                    + " but the server has key " + keyId + ": start the server with the master key it was created with.");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
            return new ConfigVars(json.readValue(plain, new TypeReference<TreeMap<String, String>>() { }));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Could not decrypt a config snapshot (" + e.getClass().getSimpleName()
                    + "): it was altered or sealed with another key.", e);
        }
    }

    private static String keyIdOf(byte[] masterKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(masterKey);
            return "local:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
