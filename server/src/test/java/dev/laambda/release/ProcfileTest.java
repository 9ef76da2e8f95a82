package dev.laambda.release;

import dev.laambda.LaambdaException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProcfileTest {

    @Test
    void entriesCommentsBlankLinesAndCrlfAreRead() {
        Procfile procfile = parse("# thumbnails\r\n\r\ncreate: CreateThumbnail.handler\r\n  resize :  src/Resize.handler  \n");
        assertEquals(Map.of("create", "CreateThumbnail.handler", "resize", "src/Resize.handler"), procfile.entries());
    }

    @Test
    void entriesAreKeptInNameOrder() {
        assertEquals(List.of("a", "b-2", "web"), List.copyOf(parse("web: app.handler\nb-2: b.handler\na: a.handler").entries().keySet()));
    }

    @Test
    void handlersKeepTheirPathsAndRuntimeSyntax() {
        Procfile procfile = parse("\tweb:\tsrc/app.handler\t\njava: com.example.Handler::handleRequest\n# trailing comment");
        assertEquals(Map.of("web", "src/app.handler", "java", "com.example.Handler::handleRequest"), procfile.entries());
    }

    @Test
    void aByteOrderMarkAsWindowsEditorsWriteItIsIgnored() {
        assertEquals(Map.of("web", "app.handler"), parse("\uFEFFweb: app.handler\r\n").entries());
    }

    @Test
    void aProcessTypeThatIsNotLowercaseLettersDigitsAndDashesNamesTheLine() {
        assertRefused("web: app.handler\nWeb: app.handler\n", "Procfile line 2: process type 'Web' is invalid: use lowercase "
                + "letters, digits and dashes, starting with a letter (at most 30).");
        assertRefused("1st: app.handler\n", "Procfile line 1: process type '1st' is invalid");
        assertRefused("my_fn: app.handler\n", "Procfile line 1: process type 'my_fn' is invalid");
        assertRefused(": app.handler\n", "Procfile line 1: process type '' is invalid");
        assertRefused("a".repeat(31) + ": x.handler\n", "Procfile line 1: process type '" + "a".repeat(31) + "' is invalid");
        assertEquals(1, parse("a".repeat(30) + ": x.handler\n").entries().size());
    }

    @Test
    void aDuplicateProcessTypeNamesTheSecondLine() {
        assertRefused("web: a.handler\n\n# again\nweb: b.handler\n", "Procfile line 4: duplicate process type 'web'.");
    }

    @Test
    void aProcessTypeWithoutAHandlerSaysWhatToWrite() {
        assertRefused("web:\n", "Procfile line 1: 'web:' has no handler: write e.g. \"web: app.handler\".");
        assertRefused("# c\nworker:   \r\n", "Procfile line 2: 'worker:' has no handler: write e.g. \"worker: app.handler\".");
    }

    @Test
    void aLineWithoutAColonSaysWhatALineLooksLike() {
        assertRefused("just text\n", "Procfile line 1: expected 'name: handler', e.g. \"web: app.handler\".");
    }

    /** Heroku Procfiles hold commands; a Lambda handler is one word (CreateFunction's Handler: no whitespace, at most 128). */
    @Test
    void aCommandInsteadOfAHandlerIsRefused() {
        assertRefused("web: gunicorn app:app\n", "Procfile line 1: handler 'gunicorn app:app' has spaces: a Lambda handler "
                + "is one word such as \"app.handler\", not a command.");
        assertRefused("web: " + "h".repeat(129) + "\n", "Procfile line 1: the handler of 'web' is 129 characters long; "
                + "Lambda allows 128.");
        assertEquals(1, parse("web: " + "h".repeat(128) + "\n").entries().size());
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
    void aProcfileWithNoEntriesIsRefused() {
        assertRefused("# only a comment\n\n", "Procfile has no process types: add one, e.g. \"web: app.handler\".");
        assertRefused("", "Procfile has no process types");
    }

    @Test
    void binaryGarbageAndControlCharactersAreNotText() {
        assertNotText(new byte[] {0, 1, 2, (byte) 0xff}, "Procfile is not text: it is not valid UTF-8; write 'name: handler' lines.");
        assertNotText(new byte[] {(byte) 0xc3, (byte) 0x28}, "Procfile is not text: it is not valid UTF-8");
        assertNotText("web: app.handler\u0000\n".getBytes(StandardCharsets.UTF_8),
                "Procfile is not text: it holds control characters; write 'name: handler' lines.");
        assertNotText("web: app.\u001b[31mhandler\n".getBytes(StandardCharsets.UTF_8), "Procfile is not text: it holds control");
    }

    @Test
    void aMissingProcfileIsItsOwnError() {
        LaambdaException e = Procfile.missing();
        assertEquals("no_procfile", e.code());
        assertEquals(LaambdaException.Kind.INVALID, e.kind());
        assertEquals("No Procfile found: add one, e.g. \"web: app.handler\"", e.getMessage());
    }

    @Test
    void theEntriesCannotBeChangedAfterParsing() {
        Procfile procfile = parse("web: app.handler\n");
        assertThrows(UnsupportedOperationException.class, () -> procfile.entries().put("x", "y"));
    }

    private static Procfile parse(String text) {
        return Procfile.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String text, String expectedStart) {
        LaambdaException e = assertThrows(LaambdaException.class, () -> parse(text));
        assertEquals("invalid_procfile", e.code());
        assertEquals(LaambdaException.Kind.INVALID, e.kind());
        if (!e.getMessage().startsWith(expectedStart)) {
            assertEquals(expectedStart, e.getMessage());
        }
    }

    private static void assertNotText(byte[] content, String expectedStart) {
        LaambdaException e = assertThrows(LaambdaException.class, () -> Procfile.parse(content));
        assertEquals("invalid_procfile", e.code());
        if (!e.getMessage().startsWith(expectedStart)) {
            assertEquals(expectedStart, e.getMessage());
        }
    }
}
