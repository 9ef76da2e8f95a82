package dev.laambda.release;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcfileTest {

    @Test
    void entriesCommentsBlankLinesAndCrlfAreRead() {
        Procfile procfile = parse("# thumbnails\r\n\r\ncreate: CreateThumbnail.handler\r\n  resize :  src/Resize.handler  \n");
        assertEquals(Map.of("create", "CreateThumbnail.handler", "resize", "src/Resize.handler"), procfile.entries());
    }

    @Test
    void everyBrokenRuleNamesTheLineToFix() {
        assertRefused("web: app.handler\nWeb: app.handler\n", "Procfile line 2: process type 'Web' is invalid");
        assertRefused("web: a.handler\nweb: b.handler\n", "Procfile line 2: duplicate process type 'web'");
        assertRefused("web:\n", "Procfile line 1: 'web:' has no handler");
        assertRefused("just text\n", "Procfile line 1: expected 'name: handler'");
        assertRefused("# only a comment\n", "no process types");
        assertRefused("a".repeat(31) + ": x.handler\n", "Procfile line 1: process type");
    }

    @Test
    void twentyEntriesAreAllowedAndTwentyOneAreNot() {
        StringBuilder twenty = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            twenty.append("f").append(i).append(": app.handler\n");
        }
        assertEquals(20, parse(twenty.toString()).entries().size());
        assertRefused(twenty + "f20: app.handler\n", "Procfile has 21 process types; at most 20 are allowed.");
    }

    @Test
    void binaryGarbageIsNotText() {
        LaambdaException e = assertThrows(LaambdaException.class, () -> Procfile.parse(new byte[] {0, 1, 2, (byte) 0xff}));
        assertTrue(e.getMessage().startsWith("Procfile is not text"), e.getMessage());
    }

    private static Procfile parse(String text) {
        return Procfile.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String text, String expected) {
        LaambdaException e = assertThrows(LaambdaException.class, () -> parse(text));
        assertEquals("invalid_procfile", e.code());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
