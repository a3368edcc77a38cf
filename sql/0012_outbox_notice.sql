-- New outbox rows announce themselves on `outbox_changes`, once per statement (PostgreSQL
-- folds identical notices of one transaction into one), delivered at commit: waiting feed
-- polls wake. A trigger, so that no writer of the outbox can forget it.
CREATE FUNCTION notify_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_changes', '');
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_events_notice AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();
