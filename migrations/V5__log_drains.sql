-- Each app's log drains (docs/api.md, "Drains"): where its log stream is forwarded. forwarded_id is the id of
-- the last log line sent, so a forwarder on any server resumes after it; deleted with the app.
CREATE TABLE log_drains (
    id            BIGSERIAL PRIMARY KEY,
    app_id        BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    forwarded_id  BIGINT NOT NULL,
    UNIQUE (app_id, url)
);
