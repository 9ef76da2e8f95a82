package dev.laambda;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounds on what a function's output may cost the server, one set for the whole project, and the UTF-8
 * arithmetic to keep them: sizes are UTF-8 bytes, and a cut never falls inside a character.
 */
public final class OutputLimits {

    /** CloudWatch Logs' largest event (262,144 bytes): a longer line is split into pieces of at most this. */
    public static final int MAX_LINE_BYTES = 256 * 1024;
    /** What one invocation's output may add to its log; the rest is dropped, and one marker line says how much. */
    public static final int MAX_INVOCATION_BYTES = 1024 * 1024;
    /** The most a function's kept log, and one answer carrying log lines, may hold. */
    public static final int MAX_LOG_BYTES = 1024 * 1024;

    private OutputLimits() {
    }

    /** The line that stands in for an invocation's dropped output. */
    public static String truncationMarker(long droppedBytes) {
        return "[laambda] output truncated: " + MAX_INVOCATION_BYTES + " bytes per invocation kept, "
                + droppedBytes + " bytes dropped";
    }

    /** {@code line} in pieces of at most {@link #MAX_LINE_BYTES} each (the line itself when it fits). */
    public static List<String> pieces(String line) {
        if ((long) line.length() * 3 <= MAX_LINE_BYTES || utf8Length(line) <= MAX_LINE_BYTES) {
            return List.of(line);
        }
        List<String> pieces = new ArrayList<>();
        String rest = line;
        while (!rest.isEmpty()) {
            int end = prefixChars(rest, MAX_LINE_BYTES);
            pieces.add(rest.substring(0, end));
            rest = rest.substring(end);
        }
        return pieces;
    }

    /** The longest start of {@code text} that is at most {@code maxBytes} in UTF-8. */
    public static String prefix(String text, long maxBytes) {
        return text.substring(0, prefixChars(text, maxBytes));
    }

    /** The longest end of {@code text} that is at most {@code maxBytes} in UTF-8. */
    public static String suffix(String text, long maxBytes) {
        long bytes = 0;
        int start = text.length();
        while (start > 0) {
            int cp = text.codePointBefore(start);
            bytes += utf8Length(cp);
            if (bytes > maxBytes) {
                break;
            }
            start -= Character.charCount(cp);
        }
        return text.substring(start);
    }

    /** The length of {@code text} in UTF-8, without encoding it (an unpaired surrogate counts as '?', 1 byte). */
    public static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            bytes += utf8Length(cp);
            i += Character.charCount(cp);
        }
        return bytes;
    }

    private static int prefixChars(String text, long maxBytes) {
        long bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            bytes += utf8Length(cp);
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(cp);
        }
        return end;
    }

    private static int utf8Length(int cp) {
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            return 1;
        }
        return cp < 0x10000 ? 3 : 4;
    }
}
