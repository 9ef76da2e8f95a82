package dev.laambda.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laambda.LaambdaException;
import dev.laambda.ServerConfig;
import dev.laambda.platform.aws.KmsDataKeys;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a release's config snapshot with AES-256-GCM, each with a fresh random 96-bit nonce. Under the master
 * key the stored bytes are nonce || ciphertext+tag, and the release's key id is local:HASH. With a KMS key every
 * snapshot gets its own data key from KMS (envelope encryption), stored in front of it: version 1 (1 byte) ||
 * length of the encrypted data key (2 bytes) || encrypted data key || nonce || ciphertext+tag, the bytes before the
 * nonce authenticated too; the key id is kms:KEY. Either kind opens whatever the server is set to seal with now,
 * so switching to KMS (or back, keeping the master key) leaves every earlier release readable.
 */
public final class ConfigCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String KMS = "kms:";
    private static final byte KMS_FORMAT = 1;

    private final SecretKey masterKey;
    private final String masterKeyId;
    private final Optional<KmsDataKeys> kms;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper();

    public ConfigCipher(byte[] masterKey) {
        this(masterKey, Optional.empty());
    }

    /** With {@code kms}, new snapshots are sealed with KMS data keys; the master key still opens the earlier ones. */
    public ConfigCipher(byte[] masterKey, Optional<KmsDataKeys> kms) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("The master key must be 32 bytes (AES-256), got " + masterKey.length);
        }
        this.masterKey = new SecretKeySpec(masterKey, "AES");
        this.masterKeyId = keyIdOf(masterKey);
        this.kms = kms;
    }

    /** Names the key new snapshots are sealed with, without revealing it, so a release records which key sealed it. */
    /** The master key's id (local:HASH), whether or not KMS seals new releases: what opens local: releases. */
    public String masterKeyId() {
        return masterKeyId;
    }

    /** Whether new config is sealed with a KMS data key (LAAMBDA_KMS_KEY_ID), not the master key. */
    public boolean sealsWithKms() {
        return kms.isPresent();
    }

    public String keyId() {
        return kms.map(keys -> KMS + keys.keyId()).orElse(masterKeyId);
    }

    public byte[] encrypt(ConfigVars config) {
        byte[] plain;
        try {
            plain = json.writeValueAsBytes(config.values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not encrypt config: " + e.getClass().getSimpleName(), e);
        }
        if (kms.isEmpty()) {
            return seal(masterKey, new byte[0], plain);
        }
        // Only the data key's KMS-encrypted form is stored, in the header; its plaintext stays in memory only.
        KmsDataKeys.DataKey dataKey = kms.get().generate();
        byte[] header = ByteBuffer.allocate(3 + dataKey.encrypted().length).put(KMS_FORMAT)
                .putShort((short) dataKey.encrypted().length).put(dataKey.encrypted()).array();
        return seal(dataKey.key(), header, plain);
    }

    public ConfigVars decrypt(byte[] stored, String storedKeyId) {
        if (storedKeyId.startsWith(KMS)) {
            return openWithKms(stored, storedKeyId.substring(KMS.length()));
        }
        if (!masterKeyId.equals(storedKeyId)) {
            throw new IllegalStateException("Config was sealed with master key " + storedKeyId
                    + " but the server has key " + masterKeyId + ": start the server with the master key it was created with.");
        }
        return open(masterKey, stored, 0);
    }

    private ConfigVars openWithKms(byte[] stored, String kmsKeyId) {
        if (kms.isEmpty()) {
            throw new LaambdaException(LaambdaException.Kind.UNAVAILABLE, "kms_not_configured", "This release's config "
                    + "was sealed with the KMS key " + kmsKeyId + ": start the server with " + ServerConfig.KMS_KEY_ID
                    + " set, and AWS credentials that may use that key.");
        }
        ByteBuffer header = ByteBuffer.wrap(stored);
        int keyLength = stored.length >= 3 && header.get() == KMS_FORMAT ? Short.toUnsignedInt(header.getShort()) : -1;
        if (keyLength <= 0 || stored.length < 3 + keyLength + NONCE_BYTES) {
            throw new IllegalStateException("Could not decrypt a config snapshot: it was altered (not a KMS-sealed snapshot).");
        }
        return open(kms.get().open(Arrays.copyOfRange(stored, 3, 3 + keyLength)), stored, 3 + keyLength);
    }

    /** {@code associated} (a KMS snapshot's header, else nothing) is authenticated and stored before the nonce. */
    private byte[] seal(SecretKey key, byte[] associated, byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(associated.length + NONCE_BYTES + sealed.length).put(associated).put(nonce)
                    .put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt config: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Opens what {@link #seal} made, its nonce at {@code at}: the bytes before it are the authenticated header. */
    private ConfigVars open(SecretKey key, byte[] stored, int at) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, at, NONCE_BYTES));
            cipher.updateAAD(stored, 0, at);
            byte[] plain = cipher.doFinal(stored, at + NONCE_BYTES, stored.length - at - NONCE_BYTES);
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
