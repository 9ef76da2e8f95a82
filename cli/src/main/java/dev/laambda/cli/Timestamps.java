package dev.laambda.cli;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The API's ISO-8601 instants as the CLI prints them: UTC, to the minute, like 2026-11-23T10:00Z. */
final class Timestamps {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'");

    private Timestamps() {
    }

    /** An empty string for null; text that is not an ISO-8601 instant is shown as it came. */
    static String minutes(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return OffsetDateTime.parse(iso).atZoneSameInstant(ZoneOffset.UTC).format(MINUTES);
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
