-- Each app's log stream (docs/architecture.md, "Logs"): function output, router, release and build lines.
-- Kept for LAAMBDA_LOG_RETENTION and at most a bounded number of lines per app, pruned in the background.
CREATE TABLE log_lines (
    id          BIGSERIAL PRIMARY KEY,
    app_id      BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    at          TIMESTAMPTZ NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('app', 'laambda')),
    process     TEXT NOT NULL,
    request_id  TEXT,
    line        TEXT NOT NULL
);

CREATE INDEX log_lines_app ON log_lines (app_id, id);
CREATE INDEX log_lines_at ON log_lines (at);
