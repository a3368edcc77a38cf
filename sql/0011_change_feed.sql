-- The change feed reads the outbox in commit-safe order: by the writing transaction's id, then
-- the row's. Every row whose transaction id is below the oldest still running one
-- (`pg_snapshot_xmin`) is final: no transaction can still add a row before it in this order.
CREATE INDEX outbox_events_feed ON outbox_events (xid, id);
