-- Log lines are the busiest insert there is (several per invocation): the foreign key's per-row check cost about
-- 40% of each batch's insert, taken from the invocations running beside it. The insert already skips lines of an
-- app that is gone (WHERE EXISTS), destroying an app deletes its lines in the same transaction, and a line that
-- races a destroy is left to retention (the app's id is never reused, so nothing shows it).
ALTER TABLE log_lines DROP CONSTRAINT log_lines_app_id_fkey;
