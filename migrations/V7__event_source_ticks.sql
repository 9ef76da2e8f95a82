-- One row per schedule tick that fired (docs/architecture.md, "Event sources"): every server evaluates the
-- schedules of the local apps each minute, and only the one whose insert wins invokes, so a tick fires once
-- however many servers share the database. Rows older than a day are pruned; deleted with the app.
CREATE TABLE event_source_ticks (
    app_id   BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    entry    TEXT NOT NULL,
    source   TEXT NOT NULL,
    tick_at  TIMESTAMPTZ NOT NULL,
    fired_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, entry, source, tick_at)
);
