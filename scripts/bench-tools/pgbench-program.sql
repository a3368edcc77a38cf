-- pgbench script for scripts/bench: the query behind GET /v1/programs/{id}.
-- Synthetic program n has id md5('program-' || n)::uuid; run with -D programs=COUNT.
\set n random(1, :programs)
SELECT * FROM programs WHERE id = md5('program-' || :n)::uuid;
