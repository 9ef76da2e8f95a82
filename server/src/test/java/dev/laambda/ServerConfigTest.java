package dev.laambda;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaultsNeedNoSettingsAtAll() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("HOME", "/home/ann"));
        assertEquals(Path.of("/home/ann/.laambda-server"), config.dataDir());
        assertEquals(5000, config.httpPort());
        assertTrue(config.databaseUrl().isEmpty(), "embedded PostgreSQL by default");
        assertEquals("us-east-1", config.defaultRegion());
    }

    @Test
    void aBadSettingStopsTheServerWithAMessageNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("LAAMBDA_HTTP_PORT", "eighty")));
        assertTrue(e.getMessage().contains("LAAMBDA_HTTP_PORT"), e.getMessage());
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnvironment(Map.of(
                "LAAMBDA_HTTP_PORT", "70000", "DATABASE_URL", "mysql://x/y", "LAAMBDA_DEFAULT_REGION", "moon",
                "LAAMBDA_ADMIN_EMAIL", "nobody")));
        for (String setting : new String[] {"LAAMBDA_HTTP_PORT", "DATABASE_URL", "LAAMBDA_DEFAULT_REGION", "LAAMBDA_ADMIN_EMAIL"}) {
            assertTrue(e.getMessage().contains(setting), e.getMessage());
        }
    }
}
