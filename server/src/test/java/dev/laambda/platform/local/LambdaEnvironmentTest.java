package dev.laambda.platform.local;

import dev.laambda.LaambdaException;
import dev.laambda.platform.FunctionSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaEnvironmentTest {

    @Test
    void aReleaseStoredBeforeValuesWereCheckedFailsToStartNamingTheKeyNotTheValue() {
        FunctionSpec spec = new FunctionSpec(1, "app-web", "app.handler", "python3.12", 128, 3, "sha", 4, "us-east-1",
                Map.of("GOOD", "fine", "BROKEN", "canary\0value"), java.util.OptionalInt.empty());
        LaambdaException e = assertThrows(LaambdaException.class,
                () -> LambdaEnvironment.of(spec, "/var/task", "/var/runtime", "127.0.0.1:9001", "/tmp"));
        assertEquals("invalid_config_value", e.code());
        assertEquals(LaambdaException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("'BROKEN'"), e.getMessage());
        assertFalse(e.getMessage().contains("canary"), e.getMessage());
    }
}
