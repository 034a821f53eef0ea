-- Token buckets of the per-token API rate limit, shared by every control-plane replica (Bucket4j's
-- PostgreSQL proxy manager, SELECT ... FOR UPDATE flavour: its documented table with a text key).
-- id: "<token id or 'operator'>:<requests>/<period seconds>", so a changed limit starts a fresh bucket.
-- state: Bucket4j's serialized bucket (null between the first insert and the first update).
-- expires_at: epoch millis after which the bucket is full again and may be dropped (cleanup job).

create table rate_limit_buckets (
    id          text   primary key check (length(id) between 1 and 200),
    state       bytea,
    expires_at  bigint
);
create index rate_limit_buckets_expiry_idx on rate_limit_buckets (expires_at);
