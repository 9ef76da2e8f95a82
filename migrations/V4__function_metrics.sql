-- Per function, per minute: what its invocations did (docs/api.md, GET …/metrics). Several servers add into
-- one row (the counters add up, the histograms merge); rows older than 24 hours are pruned in the background.
CREATE TABLE function_metrics (
    app_id           BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    function_name    TEXT NOT NULL,
    minute           TIMESTAMPTZ NOT NULL,
    invocations      BIGINT NOT NULL,
    errors           BIGINT NOT NULL,
    throttles        BIGINT NOT NULL,
    timeouts         BIGINT NOT NULL,
    cold_starts      BIGINT NOT NULL,
    peak_concurrency INTEGER NOT NULL,
    -- Lambda's bill: each invocation's duration rounded up to 1 ms, times its memory; GB-s = this / 1024 / 1000.
    billed_mb_ms     BIGINT NOT NULL,
    -- An HdrHistogram of the invocations' durations in microseconds, compressed (encodeIntoCompressedByteBuffer).
    durations        BYTEA NOT NULL,
    PRIMARY KEY (app_id, function_name, minute)
);

CREATE INDEX function_metrics_minute ON function_metrics (minute);
