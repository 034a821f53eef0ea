-- The rate limiter's buckets are rewritten on every API request and are worth nothing after a crash
-- (a lost bucket is a full one): not WAL-logged, so those writes cost no WAL record and no flush at
-- commit. PostgreSQL empties an unlogged table after a crash, and it is not copied to standbys, so
-- after a crash or a failover every token starts again with a full budget.
alter table rate_limit_buckets set unlogged;
