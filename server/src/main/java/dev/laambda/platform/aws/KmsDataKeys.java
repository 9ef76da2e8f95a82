package dev.laambda.platform.aws;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Data keys for envelope encryption under one KMS key: GenerateDataKey gives a fresh AES-256 key for each sealing,
 * of which only the KMS-encrypted form is stored; Decrypt opens it again. Opened keys are kept in memory by their
 * encrypted bytes, a bounded number of them, because every invoke opens the live release's config and must not
 * wait on KMS each time.
 */
public final class KmsDataKeys {

    /** How many opened data keys stay in memory: one per release still invoked, the least recently used go first. */
    public static final int DEFAULT_CACHED_KEYS = 1024;

    /**
     * Bound to every data key: KMS opens it only for a request that says the same, so a key lifted from the
     * database cannot be opened as something else, and CloudTrail shows what each Decrypt was for.
     */
    private static final Map<String, String> CONTEXT = Map.of("laambda", "release-config");

    /** A fresh data key: {@code key} seals one config and is then forgotten, {@code encrypted} is stored with it. */
    public record DataKey(SecretKey key, byte[] encrypted) {
    }

    private final KmsClient kms;
    private final KmsKey key;
    private final Map<ByteBuffer, SecretKey> opened;

    public KmsDataKeys(KmsClient kms, KmsKey key, int cachedKeys) {
        this.kms = kms;
        this.key = key;
        this.opened = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, SecretKey> eldest) {
                return size() > cachedKeys;
            }
        };
    }

    /** The key as the operator named it (id, ARN or alias). */
    public String keyId() {
        return key.id();
    }

    public DataKey generate() {
        GenerateDataKeyResponse made;
        try {
            made = kms.generateDataKey(generate -> generate.keyId(key.id()).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(CONTEXT));
        } catch (SdkException e) {
            throw AwsErrors.failure("KMS GenerateDataKey with key " + key.id() + " (" + key.region() + ")", e);
        }
        byte[] encrypted = made.ciphertextBlob().asByteArray();
        SecretKey plain = secretKey(made.plaintext());
        // The config sealed with it is opened again at once (the release is checked before it goes live).
        remember(encrypted, plain);
        return new DataKey(plain, encrypted);
    }

    /** The data key {@code encrypted} is the KMS-encrypted form of, whichever key of this region's KMS sealed it. */
    public SecretKey open(byte[] encrypted) {
        ByteBuffer id = ByteBuffer.wrap(encrypted.clone());
        synchronized (opened) {
            SecretKey known = opened.get(id);
            if (known != null) {
                return known;
            }
        }
        SecretKey plain;
        try {
            // No KeyId: the encrypted key names the KMS key that sealed it, so a server moved to another key
            // still opens the releases sealed under the previous one (when its credentials may use it).
            plain = secretKey(kms.decrypt(decrypt -> decrypt.ciphertextBlob(SdkBytes.fromByteArray(encrypted))
                    .encryptionContext(CONTEXT)).plaintext());
        } catch (InvalidCiphertextException e) {
            throw new IllegalStateException("Could not decrypt a config snapshot: KMS does not recognise its data key "
                    + "(it was altered, or sealed in another region or account).", e);
        } catch (SdkException e) {
            throw AwsErrors.failure("KMS Decrypt of a release's config data key (" + key.region() + ")", e);
        }
        remember(encrypted, plain);
        return plain;
    }

    private void remember(byte[] encrypted, SecretKey plain) {
        synchronized (opened) {
            opened.put(ByteBuffer.wrap(encrypted.clone()), plain);
        }
    }

    private static SecretKey secretKey(SdkBytes plaintext) {
        byte[] bytes = plaintext.asByteArray();
        try {
            if (bytes.length != 32) {
                throw new IllegalStateException("KMS returned a data key of " + bytes.length + " bytes, not 32 (AES-256)");
            }
            return new SecretKeySpec(bytes, "AES");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
