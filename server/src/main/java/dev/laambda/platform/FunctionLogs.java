package dev.laambda.platform;

import dev.laambda.OutputLimits;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent log of each function, newest last: every invocation's START … REPORT lines in the order the
 * invocations finished. Bounded per function in lines and in bytes (UTF-8), so a chatty function cannot
 * exhaust the server's memory.
 */
public final class FunctionLogs {

    private final int maxLinesPerFunction;
    private final long maxBytesPerFunction;
    private final Map<String, Kept> byFunction = new ConcurrentHashMap<>();

    public FunctionLogs(int maxLinesPerFunction, long maxBytesPerFunction) {
        this.maxLinesPerFunction = maxLinesPerFunction;
        this.maxBytesPerFunction = maxBytesPerFunction;
    }

    /** One function's lines and their size in bytes. */
    private static final class Kept {
        final Deque<FunctionLogLine> lines = new ArrayDeque<>();
        long bytes;
    }

    /** Adds one invocation's log (lines separated by '\n'; one longer than a log event is split). */
    public void append(String functionName, int version, String invocationLog) {
        Instant now = Instant.now();
        Kept kept = byFunction.computeIfAbsent(functionName, name -> new Kept());
        synchronized (kept) {
            invocationLog.lines().flatMap(line -> OutputLimits.pieces(line).stream()).forEach(line -> {
                kept.lines.addLast(new FunctionLogLine(now, functionName, version, line));
                kept.bytes += size(line);
                while (kept.lines.size() > maxLinesPerFunction || kept.bytes > maxBytesPerFunction) {
                    kept.bytes -= size(kept.lines.removeFirst().message());
                }
            });
        }
    }

    /** The last {@code limit} lines of a function, oldest first. */
    public List<FunctionLogLine> tail(String functionName, int limit) {
        Kept kept = byFunction.get(functionName);
        if (kept == null) {
            return List.of();
        }
        synchronized (kept) {
            List<FunctionLogLine> all = new ArrayList<>(kept.lines);
            return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
        }
    }

    /** Forgets a function's log (its app was destroyed). */
    public void remove(String functionName) {
        byFunction.remove(functionName);
    }

    /** A line's cost: its UTF-8 bytes and its newline. */
    private static long size(String line) {
        return OutputLimits.utf8Length(line) + 1;
    }
}
