-- API tokens (SPEC §3.3). A token belongs to one account and carries permissions on the whole
-- account or on listed zones. The secret is ≥ 256 random bits and shown once; only its SHA-256 is
-- stored (a slow password hash buys nothing for a high-entropy secret, and lookups stay one index
-- probe). Revocation keeps the row (audit rows name token ids), it only sets revoked_on.

create table api_tokens (
    id            char(32)    primary key check (id ~ '^[0-9a-f]{32}$'),
    account_id    char(32)    not null references accounts (id),
    name          text        not null check (length(name) between 1 and 120),
    token_hash    bytea       not null check (length(token_hash) = 32),
    permissions   text[]      not null
                  check (cardinality(permissions) between 1 and 5
                         and permissions <@ array['zone:read', 'zone:edit', 'zone_settings:read',
                                                  'zone_settings:edit', 'account:admin']::text[]),
    -- null: every zone of the account (now and future); otherwise exactly these zones
    zone_ids      text[]      check (zone_ids is null
                                     or (cardinality(zone_ids) between 1 and 100
                                         and array_to_string(zone_ids, ',') ~ '^[0-9a-f]{32}(,[0-9a-f]{32})*$')),
    expires_on    timestamptz,
    revoked_on    timestamptz,
    created_on    timestamptz not null default now(),
    last_used_on  timestamptz,
    -- administering an account (its tokens, its audit log) is account-wide by nature
    constraint api_tokens_admin_account_wide check (not ('account:admin' = any (permissions) and zone_ids is not null))
);
create unique index api_tokens_hash_idx on api_tokens (token_hash);
create index api_tokens_account_idx on api_tokens (account_id, created_on desc, id);
