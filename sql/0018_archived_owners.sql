-- An archived enterprise or college has left the directory, and so have its programs and
-- demand: `owner_active` now means active and not archived, kept by the same triggers, which
-- also fire when an organization is archived.
CREATE OR REPLACE FUNCTION set_owner_active() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- FOR SHARE: waits for a status change or an archival in flight and reads its outcome;
    -- either waits for this insert, then propagates to it.
    IF TG_TABLE_NAME = 'programs' THEN
        NEW.owner_active := coalesce((SELECT status = 'active' AND archived_at IS NULL FROM colleges WHERE id = NEW.college_id FOR SHARE), false);
    ELSE
        NEW.owner_active := coalesce((SELECT status = 'active' AND archived_at IS NULL FROM enterprises WHERE id = NEW.enterprise_id FOR SHARE), false);
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION propagate_owner_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    active boolean := NEW.status = 'active' AND NEW.archived_at IS NULL;
BEGIN
    IF TG_TABLE_NAME = 'colleges' THEN
        UPDATE programs SET owner_active = active WHERE college_id = NEW.id AND owner_active <> active;
    ELSE
        UPDATE demands SET owner_active = active WHERE enterprise_id = NEW.id AND owner_active <> active;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER colleges_owner_status ON colleges;
DROP TRIGGER enterprises_owner_status ON enterprises;
CREATE TRIGGER colleges_owner_status AFTER UPDATE OF status, archived_at ON colleges
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
    EXECUTE FUNCTION propagate_owner_status();
CREATE TRIGGER enterprises_owner_status AFTER UPDATE OF status, archived_at ON enterprises
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
    EXECUTE FUNCTION propagate_owner_status();

UPDATE programs p SET owner_active = false FROM colleges c
WHERE c.id = p.college_id AND c.archived_at IS NOT NULL AND p.owner_active;
UPDATE demands d SET owner_active = false FROM enterprises e
WHERE e.id = d.enterprise_id AND e.archived_at IS NOT NULL AND d.owner_active;
