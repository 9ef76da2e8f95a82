package dev.laambda.release;

import dev.laambda.LaambdaException;
import dev.laambda.platform.aws.AwsClients;
import dev.laambda.platform.aws.KmsDataKeys;
import dev.laambda.platform.aws.KmsKey;
import dev.laambda.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Release config sealed by envelope encryption with data keys from a real (moto) KMS, and opened again. */
class KmsConfigSealingTest {

    private static final String REGION = "eu-west-1";

    private static MotoServer moto;
    private static AwsClients aws;
    private static KmsKey key;

    private final byte[] masterKey = filled(7);
    private final ConfigVars config = new ConfigVars(new TreeMap<>(Map.of("DATABASE_PASSWORD", "hunter2-canary",
            "B", "ünïcode")));

    @BeforeAll
    static void startKms() {
        moto = MotoServer.start();
        aws = moto.aws();
        key = new KmsKey(aws.kms(REGION).createKey().keyMetadata().keyId(), REGION);
    }

    @AfterAll
    static void stopKms() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void sealingWithKmsStoresNoValueInTheClearAndADifferentDataKeyEachTime() {
        ConfigCipher cipher = withKms(key);
        byte[] first = cipher.encrypt(config);
        byte[] second = cipher.encrypt(config);

        assertEquals("kms:" + key.id(), cipher.keyId());
        for (byte[] sealed : new byte[][] {first, second}) {
            String stored = new String(sealed, StandardCharsets.ISO_8859_1);
            assertFalse(stored.contains("hunter2-canary"), "the value");
            assertFalse(stored.contains(new String("ünïcode".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
            assertFalse(stored.contains("DATABASE_PASSWORD"), "the name");
        }
        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(encryptedDataKey(first), encryptedDataKey(second)), "a data key per sealing");
        assertEquals(config, cipher.decrypt(first, cipher.keyId()));
    }

    @Test
    void aRestartedServerWithTheSameKmsKeyOpensTheConfigAndAsksKmsOnceForManyInvokes() {
        byte[] sealed = withKms(key).encrypt(config);

        try (AwsClients restarted = new AwsClients(Optional.of(moto.endpoint()), moto.credentials(), 2)) {
            ConfigCipher cipher = new ConfigCipher(masterKey,
                    Optional.of(new KmsDataKeys(restarted.kms(REGION), key, KmsDataKeys.DEFAULT_CACHED_KEYS)));
            long callsBefore = kmsCalls();
            for (int invoke = 0; invoke < 5; invoke++) {
                assertEquals(config, cipher.decrypt(sealed, "kms:" + key.id()));
            }
            assertEquals(1, kmsCalls() - callsBefore, "one Decrypt, then the cached data key:\n" + moto.log());
        }
    }

    @Test
    void releasesSealedWithTheMasterKeyStillOpenOnceKmsIsOn() {
        ConfigCipher before = new ConfigCipher(masterKey);
        byte[] sealed = before.encrypt(config);

        ConfigCipher after = withKms(key);
        assertNotEquals(before.keyId(), after.keyId());
        assertEquals(config, after.decrypt(sealed, before.keyId()));
    }

    @Test
    void releasesSealedUnderAPreviousKmsKeyStillOpenAfterMovingToAnother() {
        ConfigCipher previous = withKms(key);
        byte[] sealed = previous.encrypt(config);
        KmsKey next = new KmsKey(aws.kms(REGION).createKey().keyMetadata().keyId(), REGION);

        assertEquals(config, withKms(next).decrypt(sealed, previous.keyId()));
    }

    @Test
    void aKmsSealedReleaseOnAServerWithoutKmsIsRefusedInOneLineNamingTheSetting() {
        ConfigCipher sealing = withKms(key);
        byte[] sealed = sealing.encrypt(config);

        LaambdaException e = assertThrows(LaambdaException.class,
                () -> new ConfigCipher(masterKey).decrypt(sealed, sealing.keyId()));
        assertEquals("kms_not_configured", e.code());
        assertEquals("This release's config was sealed with the KMS key " + key.id() + ": start the server with "
                + "LAAMBDA_KMS_KEY_ID set, and AWS credentials that may use that key.", e.getMessage());
    }

    @Test
    void anAlteredSnapshotIsRefusedRatherThanMisread() {
        ConfigCipher cipher = withKms(key);
        byte[] sealed = cipher.encrypt(config);
        int dataKeyLength = encryptedDataKey(sealed).length;

        // The config's ciphertext, the encrypted data key, and the header's length of it.
        for (int at : new int[] {sealed.length - 1, 3 + dataKeyLength / 2, 2}) {
            byte[] altered = sealed.clone();
            altered[at] ^= 1;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> withKms(key).decrypt(altered, cipher.keyId()), "byte " + at);
            assertTrue(e.getMessage().startsWith("Could not decrypt a config snapshot"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(Arrays.copyOf(sealed, 20), cipher.keyId()));
    }

    @Test
    void aKmsKeyThatDoesNotExistIsAOneLineErrorAndNothingIsSealed() {
        KmsKey missing = new KmsKey("alias/no-such-key", REGION);
        LaambdaException e = assertThrows(LaambdaException.class, () -> withKms(missing).encrypt(config));
        assertTrue(e.getMessage().startsWith("KMS GenerateDataKey with key alias/no-such-key (eu-west-1) failed: "
                + "NotFoundException"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** A fresh cipher, as a server just started with {@code kmsKey} has: no data key opened yet. */
    private ConfigCipher withKms(KmsKey kmsKey) {
        return new ConfigCipher(masterKey,
                Optional.of(new KmsDataKeys(aws.kms(REGION), kmsKey, KmsDataKeys.DEFAULT_CACHED_KEYS)));
    }

    /** The stored snapshot's header: format 1, two bytes of length, then the KMS-encrypted data key. */
    private static byte[] encryptedDataKey(byte[] sealed) {
        assertEquals(1, sealed[0], "format version");
        int length = ((sealed[1] & 0xff) << 8) | (sealed[2] & 0xff);
        return Arrays.copyOfRange(sealed, 3, 3 + length);
    }

    /** Every KMS call is a POST to moto's root, one log line each. */
    private static long kmsCalls() {
        return moto.log().lines().filter(line -> line.contains("\"POST / HTTP")).count();
    }

    private static byte[] filled(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }
}
