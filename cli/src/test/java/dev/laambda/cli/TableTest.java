package dev.laambda.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableTest {

    @Test
    void configVarsLineUpOneSpaceAfterTheLongestKey() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("A", "1");
        config.put("DATABASE_URL", "postgres://db/demo");
        config.put("EMPTY", "");

        assertEquals(List.of(
                "A:            1",
                "DATABASE_URL: postgres://db/demo",
                "EMPTY:"), Table.fields(config));
    }

    @Test
    void columnsAreTwoSpacesApartWithoutTrailingSpaces() {
        assertEquals(List.of(
                "alice@example.com  owner",
                "bo@example.com     collaborator",
                "x"), Table.columns(List.of(
                List.of("alice@example.com", "owner"),
                List.of("bo@example.com", "collaborator"),
                List.of("x", ""))));
    }

    @Test
    void timesArePrintedInUtcToTheMinute() {
        assertEquals("2026-11-23T10:00Z", Timestamps.minutes("2026-11-23T10:00:59.999999Z"));
        assertEquals("2026-11-23T09:30Z", Timestamps.minutes("2026-11-23T11:30:00+02:00"));
        assertEquals("", Timestamps.minutes(null));
        assertEquals("yesterday", Timestamps.minutes("yesterday"));
    }
}
