-- A kept request's passwords, as a bcrypt hash (never their fast hash): the same key with the
-- same body but another password is a 422, as API.md asks of any different body, while the
-- kept row is still no faster a way to test guesses than the account's own hash.
ALTER TABLE idempotency_keys ADD COLUMN secret_hash text;
