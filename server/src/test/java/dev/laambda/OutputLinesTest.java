package dev.laambda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputLinesTest {

    private final List<String> lines = new ArrayList<>();
    private final OutputLines output = new OutputLines(lines::add);

    private void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        output.write(bytes, 0, bytes.length);
    }

    @Test
    void linesEndAtNewlinesAndACrlfLosesItsCarriageReturn() {
        write("one\ntw");
        write("o\r\n\nlast");
        output.finish();
        assertEquals(List.of("one", "two", "", "last"), lines);
    }

    @Test
    void fiveMegabytesWithoutANewlineArriveInPiecesOfAtMost256Kilobytes() {
        byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5 * 128; i++) {
            output.write(chunk, 0, chunk.length);
        }
        output.finish();
        assertEquals(20, lines.size());
        assertTrue(lines.stream().allMatch(line -> line.length() == OutputLimits.MAX_LINE_BYTES));
    }

    @Test
    void aLineOfExactly256KilobytesStaysOneLine() {
        write("y".repeat(OutputLimits.MAX_LINE_BYTES) + "\nnext\n");
        assertEquals(List.of("y".repeat(OutputLimits.MAX_LINE_BYTES), "next"), lines);
    }

    @Test
    void aCutNeverFallsInsideACharacter() {
        // 'x' then 3-byte characters: the 256 KB boundary falls inside one of them.
        String text = "x" + "€".repeat(OutputLimits.MAX_LINE_BYTES / 3 + 10);
        write(text);
        output.finish();
        assertEquals(2, lines.size());
        assertEquals(text, String.join("", lines), "nothing lost or garbled");
        for (String line : lines) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= OutputLimits.MAX_LINE_BYTES);
            assertTrue(line.indexOf('\uFFFD') < 0, "no broken character");
        }
    }

    @Test
    void limitsSplitAndCutStringsBetweenCharacters() {
        String emoji = "😀".repeat(100_000);
        List<String> pieces = OutputLimits.pieces(emoji);
        assertEquals(emoji, String.join("", pieces));
        assertTrue(pieces.stream().allMatch(p -> p.getBytes(StandardCharsets.UTF_8).length <= OutputLimits.MAX_LINE_BYTES));
        assertEquals("😀", OutputLimits.suffix("a😀", 4));
        assertEquals("a😀", OutputLimits.suffix("a😀", 5));
        assertEquals("", OutputLimits.suffix("a😀", 3));
        assertEquals("a", OutputLimits.prefix("a😀", 4));
        assertEquals(1 + 4, OutputLimits.utf8Length("a😀"));
    }
}
