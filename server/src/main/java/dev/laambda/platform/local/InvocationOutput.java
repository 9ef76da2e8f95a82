package dev.laambda.platform.local;

import dev.laambda.OutputLimits;

/**
 * What a function printed during one invocation, as log lines: at most {@link OutputLimits#MAX_INVOCATION_BYTES}
 * of it kept (lines split at {@link OutputLimits#MAX_LINE_BYTES}), the rest only counted. The reader thread
 * adds, the invoking thread takes.
 */
final class InvocationOutput {

    private final StringBuilder kept = new StringBuilder();
    private long keptBytes;
    private long droppedBytes;

    /** Adds one line (without its '\n'); past the bound, the part that does not fit is dropped and counted. */
    synchronized void add(String line) {
        for (String piece : OutputLimits.pieces(line)) {
            long bytes = OutputLimits.utf8Length(piece) + 1;
            long room = OutputLimits.MAX_INVOCATION_BYTES - keptBytes;
            if (droppedBytes == 0 && bytes <= room) {
                kept.append(piece).append('\n');
                keptBytes += bytes;
            } else if (droppedBytes == 0 && room > 1) {
                // The line that crosses the bound keeps what fits: the log holds exactly the bound's worth.
                String start = OutputLimits.prefix(piece, room - 1);
                kept.append(start).append('\n');
                keptBytes += OutputLimits.utf8Length(start) + 1;
                droppedBytes += bytes - OutputLimits.utf8Length(start) - 1;
            } else {
                droppedBytes += bytes;
            }
        }
    }

    /** The lines kept since the last take, and forgets them; the bound keeps counting (see {@link #reset}). */
    synchronized String take() {
        String text = kept.toString();
        kept.setLength(0);
        return text;
    }

    /** Bytes dropped since the last reset, 0 when everything fit. */
    synchronized long droppedBytes() {
        return droppedBytes;
    }

    /** A new invocation: nothing kept, nothing dropped, the whole bound available again. */
    synchronized void reset() {
        kept.setLength(0);
        keptBytes = 0;
        droppedBytes = 0;
    }
}
