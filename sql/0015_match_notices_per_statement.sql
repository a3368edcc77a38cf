-- A bulk import changes thousands of rows in one statement: a notice per row (sql/0005) would
-- crowd the notify queue and have the match index reload them one batch at a time. Statement
-- triggers with transition tables announce up to 100 changed rows one by one, and more as
-- `<table>:*`, on which the index reloads everything once.
CREATE FUNCTION notify_match_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT count(*) INTO changed FROM old_rows;
    ELSE
        SELECT count(*) INTO changed FROM new_rows;
    END IF;
    IF changed > 100 THEN
        PERFORM pg_notify('match_changes', TG_TABLE_NAME || ':*');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('match_changes', TG_TABLE_NAME || ':' || id) FROM old_rows;
    ELSE
        PERFORM pg_notify('match_changes', TG_TABLE_NAME || ':' || id) FROM new_rows;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER programs_match_change ON programs;
DROP TRIGGER demands_match_change ON demands;
DROP TRIGGER talents_match_change ON talents;

CREATE TRIGGER programs_match_insert AFTER INSERT ON programs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER programs_match_update AFTER UPDATE ON programs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER programs_match_delete AFTER DELETE ON programs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER demands_match_insert AFTER INSERT ON demands REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER demands_match_update AFTER UPDATE ON demands REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER demands_match_delete AFTER DELETE ON demands REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER talents_match_insert AFTER INSERT ON talents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER talents_match_update AFTER UPDATE ON talents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
CREATE TRIGGER talents_match_delete AFTER DELETE ON talents REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_rows();
