package dev.laambda.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerErrorsTest {

    private static final Set<String> SECRETS = Set.of("hunter2-canary", "ab\0cdef-canary", "ok");

    @Test
    void aSecretValueIsMaskedAsGivenAndInTheFormsQuotingLeavesOfIt() {
        String engine = "invalid env \"DB_PASSWORD=hunter2-canary\", \"TOKEN=ab\\x00cdef-canary\" and ab";
        String scrubbed = DockerErrors.scrub(engine, SECRETS);
        assertEquals("invalid env \"DB_PASSWORD=***\", \"TOKEN=ab\\x00***\" and ab", scrubbed);
    }

    @Test
    void aValueCutAtItsNulIsMaskedToo() {
        assertFalse(DockerErrors.scrub("exec: TOKEN=ab\0cdef-canary: invalid argument", SECRETS).contains("canary"));
        assertFalse(DockerErrors.scrub("setenv TOKEN=cdef-canary", SECRETS).contains("canary"));
    }

    @Test
    void shortValuesAreLeftSoTheTextStaysReadable() {
        assertEquals("ok, the engine is ok", DockerErrors.scrub("ok, the engine is ok", SECRETS));
    }

    @Test
    void aDockerFailureBecomesOneScrubbedLineWithTheEnginesStatusAndNoCause() {
        RuntimeException engine = new BadRequestException("{\"message\":\"bad env KEY=hunter2-canary\"}\nsecond line");
        IllegalStateException safe = DockerErrors.scrubbed("Could not create a container of img", engine, SECRETS);
        assertEquals("Could not create a container of img: Status 400: {\"message\":\"bad env KEY=***\"}", safe.getMessage());
        assertNull(safe.getCause());
        assertTrue(safe.getStackTrace().length > 0);
    }
}
