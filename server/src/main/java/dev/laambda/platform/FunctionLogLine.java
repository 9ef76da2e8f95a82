package dev.laambda.platform;

import java.time.Instant;

/** One line of a function's log (START/END/REPORT or the function's own output), as CloudWatch keeps it. */
public record FunctionLogLine(Instant timestamp, String functionName, int version, String message) {
}
