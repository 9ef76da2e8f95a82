package dev.laambda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A process's output bytes, handed on as lines: at each '\n' (a CRLF's '\r' dropped), and, for a line that
 * grows past {@link OutputLimits#MAX_LINE_BYTES} without one, in pieces of at most that size cut between
 * characters. Holds at most one piece, so output without newlines cannot grow the server's memory.
 * Not thread-safe: one reader feeds it.
 */
public final class OutputLines {

    private final Consumer<String> lines;
    private byte[] partial = new byte[8192];
    private int size;

    public OutputLines(Consumer<String> lines) {
        this.lines = lines;
    }

    public void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                emit(size > 0 && partial[size - 1] == '\r' ? size - 1 : size, size);
                continue;
            }
            if (size == OutputLimits.MAX_LINE_BYTES) {
                int cut = characterStart(size);
                emit(cut, cut);
            }
            if (size == partial.length) {
                partial = Arrays.copyOf(partial, Math.min(partial.length * 2, OutputLimits.MAX_LINE_BYTES));
            }
            partial[size++] = b;
        }
    }

    /** The output ended: hands on what is left of a last line without a newline. */
    public void finish() {
        if (size > 0) {
            emit(size, size);
        }
    }

    /** Hands on the first {@code end} bytes as one line and forgets the first {@code consumed}. */
    private void emit(int end, int consumed) {
        String line = new String(partial, 0, end, StandardCharsets.UTF_8);
        System.arraycopy(partial, consumed, partial, 0, size - consumed);
        size -= consumed;
        lines.accept(line);
    }

    /**
     * Where the last character of the first {@code end} bytes starts, if it is incomplete (its remaining
     * bytes are yet to come), else {@code end}.
     */
    private int characterStart(int end) {
        for (int i = end - 1; i >= Math.max(0, end - 3); i--) {
            int b = partial[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return i + length > end ? i : end;
            }
        }
        return end;
    }
}
