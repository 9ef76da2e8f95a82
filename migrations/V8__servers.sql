-- One row per running server (README, "Scaling out"): written at start, its heartbeat refreshed every 10 s,
-- deleted on a clean shutdown. A server is live while its heartbeat is younger than 30 s (the database's
-- clock, so servers' clocks need not agree). A starting server reads the live ones to refuse a database it
-- cannot share: one without the same artifact bucket. id is the host name and data directory, so a server
-- restarted on its data directory after a crash takes over its own row.
CREATE TABLE servers (
    id               TEXT PRIMARY KEY,
    host             TEXT NOT NULL,
    http_address     TEXT NOT NULL,
    ssh_address      TEXT NOT NULL,
    -- LAAMBDA_S3_BUCKET, or NULL: its artifacts are on its own disk only.
    artifact_bucket  TEXT,
    started_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
