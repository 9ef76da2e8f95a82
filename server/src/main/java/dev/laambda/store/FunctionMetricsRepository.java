package dev.laambda.store;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;

/** The function_metrics table: one row per function per minute, shared by every server on the database. */
public final class FunctionMetricsRepository {

    private static final String COLUMNS = "app_id, function_name, minute, invocations, errors, throttles, timeouts, "
            + "cold_starts, peak_concurrency, billed_mb_ms, durations";

    private final Database database;

    public FunctionMetricsRepository(Database database) {
        this.database = database;
    }

    /**
     * Adds these minutes into the stored ones: counters add up, peaks take the larger, histograms merge. The row
     * is locked while its histogram merges, so two servers flushing the same minute both count. Minutes of apps
     * destroyed meanwhile are dropped.
     */
    public void add(List<FunctionMinute> minutes) {
        if (minutes.isEmpty()) {
            return;
        }
        // One order on every server, so two flushing the same rows lock them in turn, never each other.
        List<FunctionMinute> ordered = minutes.stream().sorted(Comparator.comparingLong(FunctionMinute::appId)
                .thenComparing(FunctionMinute::functionName).thenComparing(FunctionMinute::minute)).toList();
        database.transaction(c -> {
            for (FunctionMinute minute : ordered) {
                add(c, minute);
            }
            return null;
        });
    }

    private static void add(Connection c, FunctionMinute minute) throws SQLException {
        int inserted = Jdbc.update(c, "INSERT INTO function_metrics (" + COLUMNS + ") "
                        + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM apps WHERE id = ?) "
                        + "ON CONFLICT (app_id, function_name, minute) DO NOTHING",
                minute.appId(), minute.functionName(), minute.minute(), minute.invocations(), minute.errors(),
                minute.throttles(), minute.timeouts(), minute.coldStarts(), minute.peakConcurrency(), minute.billedMbMs(),
                encode(minute.durations()), minute.appId());
        if (inserted == 1) {
            return;
        }
        Optional<FunctionMinute> stored = Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM function_metrics "
                        + "WHERE app_id = ? AND function_name = ? AND minute = ? FOR UPDATE",
                FunctionMetricsRepository::map, minute.appId(), minute.functionName(), minute.minute());
        if (stored.isEmpty()) {
            return;
        }
        FunctionMinute sum = stored.get().plus(minute);
        Jdbc.update(c, "UPDATE function_metrics SET invocations = ?, errors = ?, throttles = ?, timeouts = ?, "
                        + "cold_starts = ?, peak_concurrency = ?, billed_mb_ms = ?, durations = ? "
                        + "WHERE app_id = ? AND function_name = ? AND minute = ?",
                sum.invocations(), sum.errors(), sum.throttles(), sum.timeouts(), sum.coldStarts(), sum.peakConcurrency(),
                sum.billedMbMs(), encode(sum.durations()), minute.appId(), minute.functionName(), minute.minute());
    }

    /** The app's minutes from {@code since} on (inclusive), by function then minute. */
    public List<FunctionMinute> since(long appId, Instant since) {
        return database.read(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM function_metrics "
                        + "WHERE app_id = ? AND minute >= ? ORDER BY function_name, minute",
                FunctionMetricsRepository::map, appId, since));
    }

    /** Removes every minute before {@code before}; returns how many rows went. */
    public int pruneBefore(Instant before) {
        return database.transaction(c -> Jdbc.update(c, "DELETE FROM function_metrics WHERE minute < ?", before));
    }

    private static FunctionMinute map(ResultSet row) throws SQLException {
        return new FunctionMinute(row.getLong("app_id"), row.getString("function_name"), Jdbc.instant(row, "minute"),
                row.getLong("invocations"), row.getLong("errors"), row.getLong("throttles"), row.getLong("timeouts"),
                row.getLong("cold_starts"), row.getInt("peak_concurrency"), row.getLong("billed_mb_ms"),
                decode(row.getBytes("durations")));
    }

    private static byte[] encode(Histogram durations) {
        ByteBuffer buffer = ByteBuffer.allocate(durations.getNeededByteBufferCapacity());
        int length = durations.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    private static Histogram decode(byte[] bytes) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("A stored duration histogram does not decode", e);
        }
    }
}
