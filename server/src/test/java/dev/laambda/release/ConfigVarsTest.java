package dev.laambda.release;

import dev.laambda.AppSettings;
import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigVarsTest {

    @Test
    void settingAndUnsettingMakeANewConfigAndLeaveTheOldOneAlone() {
        ConfigVars first = ConfigVars.empty().with(Map.of("A", "1", "B", "2"));
        Map<String, String> unsetA = new HashMap<>();
        unsetA.put("A", null);
        ConfigVars second = first.with(unsetA);
        assertEquals(Map.of("A", "1", "B", "2"), first.values());
        assertEquals(Map.of("B", "2"), second.values());
    }

    @Test
    void keysMustBeShellIdentifiers() {
        for (String bad : new String[] {"bad-key", "1ABC", "", "A B", "Ä", "A=B"}) {
            LaambdaException e = assertThrows(LaambdaException.class, () -> ConfigVars.empty().with(Map.of(bad, "x")), bad);
            assertEquals("invalid_config_key", e.code());
        }
        assertEquals(3, ConfigVars.empty().with(Map.of("_A", "1", "a1", "2", "LAAMBDA_BUILDPACK", "python")).values().size());
    }

    @Test
    void laambdaRuntimeMustBeARuntimeLaambdaRuns() {
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> ConfigVars.empty().with(Map.of(AppSettings.RUNTIME, "ruby3.3")));
        assertEquals("invalid_runtime", e.code());
        assertTrue(e.getMessage().startsWith("Runtime 'ruby3.3' is not one Laambda runs: use one of python3.9,"), e.getMessage());
        assertEquals("nodejs22.x", ConfigVars.empty().with(Map.of(AppSettings.RUNTIME, "nodejs22.x")).values()
                .get(AppSettings.RUNTIME));
    }

    @Test
    void lambdasReservedNamesAreRefused() {
        for (String reserved : ConfigVars.RESERVED) {
            LaambdaException e = assertThrows(LaambdaException.class, () -> ConfigVars.empty().with(Map.of(reserved, "x")));
            assertEquals("reserved_config_key", e.code(), reserved);
        }
    }

    @Test
    void fourKilobytesOfKeysAndValuesFitAndOneByteMoreDoesNot() {
        ConfigVars exactly = ConfigVars.empty().with(Map.of("K", "v".repeat(4095)));
        assertEquals(4096, exactly.totalBytes());
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> ConfigVars.empty().with(Map.of("K", "v".repeat(4096))));
        assertEquals("config_too_large", e.code());
        assertTrue(e.getMessage().contains("4097"), e.getMessage());
    }

    @Test
    void multiByteCharactersCountAsTheirUtf8Bytes() {
        assertEquals(1 + 2, ConfigVars.empty().with(Map.of("K", "é")).totalBytes());
    }

    @Test
    void errorsNameTheKeyButNeverTheValue() {
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> ConfigVars.empty().with(Map.of("K", "secret-canary".repeat(400))));
        assertFalse(e.getMessage().contains("secret-canary"));
    }

    @Test
    void aValueAProcessEnvironmentCannotHoldIsRefusedNamingTheKeyOnly() {
        ConfigVars before = ConfigVars.empty().with(Map.of("KEEP", "1"));
        for (String bad : new String[] {"canary\0after", "canary\uD800", "canary\uDC00x", "\uDE00canary\uD83D"}) {
            LaambdaException e = assertThrows(LaambdaException.class, () -> before.with(Map.of("SECRET", bad)));
            assertEquals("invalid_config_value", e.code());
            assertEquals(LaambdaException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("'SECRET'"), e.getMessage());
            assertFalse(e.getMessage().contains("canary"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        assertEquals(Map.of("KEEP", "1"), before.values());
        assertEquals("😀 é \t\n", ConfigVars.empty().with(Map.of("K", "😀 é \t\n")).values().get("K"),
                "paired surrogates, tabs and newlines are fine");
    }

    @Test
    void aStoredConfigWithAnUnholdableValueFailsItsCheck() {
        ConfigVars stored = new ConfigVars(new java.util.TreeMap<>(Map.of("A", "1", "B", "x\0y")));
        assertEquals("invalid_config_value", assertThrows(LaambdaException.class, stored::checkValues).code());
    }

    @Test
    void unsettingAKeyThatIsNotSetIsAnError() {
        Map<String, String> unset = new HashMap<>();
        unset.put("MISSING", null);
        assertEquals("config_var_not_found",
                assertThrows(LaambdaException.class, () -> ConfigVars.empty().with(unset)).code());
    }
}
