package dev.laambda.release;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCipherTest {

    private final byte[] key = bytes(32, 7);
    private final ConfigCipher cipher = new ConfigCipher(key);
    private final ConfigVars config = new ConfigVars(new TreeMap<>(Map.of("DATABASE_PASSWORD", "hunter2-canary", "B", "ünïcode")));

    @Test
    void aSealedConfigOpensToTheSameVars() {
        assertEquals(config, cipher.decrypt(cipher.encrypt(config), cipher.keyId()));
    }

    @Test
    void theSameConfigSealsDifferentlyEachTimeBecauseEachGetsAFreshNonce() {
        byte[] first = cipher.encrypt(config);
        byte[] second = cipher.encrypt(config);
        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)));
    }

    @Test
    void theCiphertextHoldsNoValueInTheClear() {
        String sealed = new String(cipher.encrypt(config), StandardCharsets.ISO_8859_1);
        assertFalse(sealed.contains("hunter2-canary"));
        assertFalse(sealed.contains("DATABASE_PASSWORD"));
    }

    @Test
    void aTamperedSnapshotIsRefusedRatherThanMisread() {
        byte[] sealed = cipher.encrypt(config);
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, cipher.keyId()));
    }

    @Test
    void aSnapshotSealedUnderAnotherKeyNamesBothKeys() {
        ConfigCipher other = new ConfigCipher(bytes(32, 9));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cipher.decrypt(other.encrypt(config), other.keyId()));
        assertTrue(e.getMessage().contains(other.keyId()) && e.getMessage().contains(cipher.keyId()), e.getMessage());
    }

    @Test
    void theKeyIdNamesTheKeyWithoutRevealingIt() {
        assertEquals(cipher.keyId(), new ConfigCipher(bytes(32, 7)).keyId());
        assertNotEquals(cipher.keyId(), new ConfigCipher(bytes(32, 8)).keyId());
        assertFalse(cipher.keyId().contains(java.util.HexFormat.of().formatHex(key)));
    }

    @Test
    void onlyA256BitKeyIsAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new ConfigCipher(bytes(16, 1)));
        assertArrayEquals(key, bytes(32, 7));
    }

    private static byte[] bytes(int length, int fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }
}
