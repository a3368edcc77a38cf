-- Every committed change to what the scoreboard and the overview statistics read is announced
-- on channel `supervision_changes`, once per statement (PostgreSQL folds identical notices of
-- one transaction into one), so every instance forgets the answers it keeps.

CREATE FUNCTION notify_supervision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('supervision_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['regions', 'enterprises', 'colleges', 'programs', 'demands', 'cooperations', 'applications',
                             'certifications', 'rewards', 'targets'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION notify_supervision()', t || '_supervision_notice', t);
    END LOOP;
END $$;
