-- Lines copied into an app's stream from elsewhere (an AWS app's function output, from CloudWatch Logs) carry
-- where they came from: each is stored once however often, and by however many servers, it is copied.
ALTER TABLE log_lines ADD COLUMN external_id TEXT;

CREATE UNIQUE INDEX log_lines_external ON log_lines (app_id, external_id) WHERE external_id IS NOT NULL;
