package dev.laambda.store;

import java.time.Instant;

/** The event_source_ticks table: which schedule ticks have fired, so each fires on one server only. */
public final class EventSourceTickRepository {

    private final Database database;

    public EventSourceTickRepository(Database database) {
        this.database = database;
    }

    /** Claims a tick: true for the one caller, on any server, whose insert made the row. */
    public boolean claim(long appId, String entry, String source, Instant tickAt) {
        return database.transaction(c -> Jdbc.update(c, "INSERT INTO event_source_ticks (app_id, entry, source, tick_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", appId, entry, source, tickAt)) == 1;
    }

    /** How many times the tick was claimed: 1 once fired, 0 before (the primary key allows no more). */
    public int count(long appId, String entry, String source, Instant tickAt) {
        return database.read(c -> Jdbc.queryOne(c, "SELECT count(*) FROM event_source_ticks WHERE app_id = ? AND entry = ? "
                + "AND source = ? AND tick_at = ?", r -> r.getInt(1), appId, entry, source, tickAt).orElse(0));
    }

    public int pruneBefore(Instant before) {
        return database.transaction(c -> Jdbc.update(c, "DELETE FROM event_source_ticks WHERE tick_at < ?",
                before));
    }
}
