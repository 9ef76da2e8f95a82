package dev.laambda;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision taken once at start: host processes for tenants' code only when the operator asked for both. */
class TenantIsolationTest {

    private static final Optional<String> USABLE = Optional.empty();
    private static final Optional<String> NO_ENGINE = Optional.of("no Docker engine at unix:///var/run/docker.sock: refused");

    @Test
    void autoWithAUsableEngineRunsEverythingInContainersForEveryUser() {
        TenantIsolation isolation = TenantIsolation.decide(InstanceMode.AUTO, BuilderMode.AUTO, USABLE);
        assertEquals(TenantIsolation.Level.CONTAINERS, isolation.level());
        assertTrue(isolation.instancesInContainers() && isolation.buildsInContainers() && isolation.multiUser());
    }

    @Test
    void autoWithoutAUsableEngineRunsOnTheHostForAdminsOnlyAndSaysWhy() {
        TenantIsolation isolation = TenantIsolation.decide(InstanceMode.AUTO, BuilderMode.AUTO, NO_ENGINE);
        assertEquals(TenantIsolation.Level.SINGLE_USER, isolation.level());
        assertFalse(isolation.instancesInContainers() || isolation.buildsInContainers() || isolation.multiUser());
        assertEquals(NO_ENGINE.get(), isolation.reason());
    }

    @Test
    void bothHostModesSetExplicitlyLetEveryUserInWithoutWalls() {
        for (Optional<String> engine : java.util.List.of(USABLE, NO_ENGINE)) {
            TenantIsolation isolation = TenantIsolation.decide(InstanceMode.PROCESS, BuilderMode.LOCAL, engine);
            assertEquals(TenantIsolation.Level.NONE_BY_OPERATOR, isolation.level());
            assertTrue(isolation.multiUser());
            assertTrue(isolation.description().startsWith("WARNING: no isolation between apps"), isolation.description());
        }
    }

    @Test
    void oneHostModeAloneIsSingleUserAndNamesTheSettingToUnset() {
        TenantIsolation instancesOnHost = TenantIsolation.decide(InstanceMode.PROCESS, BuilderMode.AUTO, USABLE);
        assertEquals(TenantIsolation.Level.SINGLE_USER, instancesOnHost.level());
        assertTrue(instancesOnHost.buildsInContainers());
        assertFalse(instancesOnHost.instancesInContainers());
        assertEquals("LAAMBDA_INSTANCES=process runs functions as host processes", instancesOnHost.reason());
        assertTrue(instancesOnHost.remedy().startsWith("unset LAAMBDA_INSTANCES "), instancesOnHost.remedy());

        TenantIsolation buildsOnHost = TenantIsolation.decide(InstanceMode.CONTAINER, BuilderMode.LOCAL, USABLE);
        assertEquals(TenantIsolation.Level.SINGLE_USER, buildsOnHost.level());
        assertTrue(buildsOnHost.instancesInContainers());
        assertEquals("LAAMBDA_BUILDER=local runs builds as host processes", buildsOnHost.reason());
    }

    @Test
    void containersAskedForWithoutAUsableEngineAreRefusedNamingTheSetting() {
        LaambdaException refused = assertThrows(LaambdaException.class,
                () -> TenantIsolation.decide(InstanceMode.CONTAINER, BuilderMode.DOCKER, NO_ENGINE));
        assertEquals("LAAMBDA_INSTANCES=container and LAAMBDA_BUILDER=docker, but " + NO_ENGINE.get()
                + ": start Docker (scripts/docker-engine), or unset LAAMBDA_INSTANCES and LAAMBDA_BUILDER to start in "
                + "single-user mode without containers.", refused.getMessage());
    }
}
