package dev.laambda.platform;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent log of each function, newest last: every invocation's START … REPORT lines in the order the
 * invocations finished. Bounded per function, so a chatty function cannot exhaust the server's memory.
 */
public final class FunctionLogs {

    private final int maxLinesPerFunction;
    private final Map<String, Deque<FunctionLogLine>> byFunction = new ConcurrentHashMap<>();

    public FunctionLogs(int maxLinesPerFunction) {
        this.maxLinesPerFunction = maxLinesPerFunction;
    }

    /** Adds one invocation's log (lines separated by '\n'). */
    public void append(String functionName, int version, String invocationLog) {
        Instant now = Instant.now();
        Deque<FunctionLogLine> lines = byFunction.computeIfAbsent(functionName, name -> new ArrayDeque<>());
        synchronized (lines) {
            invocationLog.lines().forEach(line -> {
                lines.addLast(new FunctionLogLine(now, functionName, version, line));
                if (lines.size() > maxLinesPerFunction) {
                    lines.removeFirst();
                }
            });
        }
    }

    /** The last {@code limit} lines of a function, oldest first. */
    public List<FunctionLogLine> tail(String functionName, int limit) {
        Deque<FunctionLogLine> lines = byFunction.get(functionName);
        if (lines == null) {
            return List.of();
        }
        synchronized (lines) {
            List<FunctionLogLine> all = new ArrayList<>(lines);
            return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
        }
    }

    /** Forgets a function's log (its app was destroyed). */
    public void remove(String functionName) {
        byFunction.remove(functionName);
    }
}
