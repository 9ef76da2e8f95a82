-- Every server keeps each app's live release in memory (release/LiveReleases). Any change to an app's row — a new
-- live release (deploy, config, rollback), a destroy — notifies every server on the database at commit, whichever
-- server or tool made it, so each drops what it kept of that app. The payload is the app's id.
CREATE FUNCTION laambda_app_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('laambda_app_changed', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER apps_changed AFTER UPDATE OR DELETE ON apps
    FOR EACH ROW EXECUTE FUNCTION laambda_app_changed();
