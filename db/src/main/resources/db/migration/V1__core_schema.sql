-- Core schema: accounts own zones; zones carry explicitly chosen settings; every accepted change
-- appends one row to change_log under the next config revision (SPEC §3.3, §4).
--
-- Migration numbering: V1–V9 core, V10–V19 zones/settings API, V20–V29 distribution,
-- V30–V39 tokens/audit/rate limits. Constraints live here, not only in Java.

create table accounts (
    id          char(32)    primary key check (id ~ '^[0-9a-f]{32}$'),
    name        text        not null check (length(name) between 1 and 200),
    created_on  timestamptz not null default now()
);

create table zones (
    id          char(32)    primary key check (id ~ '^[0-9a-f]{32}$'),
    account_id  char(32)    not null references accounts (id),
    -- lower-cased, IDNA (punycode) hostname; Java validates IDNA, the schema the shape.
    name        text        not null unique
                check (length(name) between 1 and 253
                       and name = lower(name)
                       and name ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    plan        text        not null default 'free' check (plan in ('free', 'pro', 'business', 'enterprise')),
    -- base URL of the origin; null until one is set (the edge answers 530 meanwhile)
    origin      text        check (origin is null or (length(origin) <= 2048 and origin ~ '^https?://')),
    paused      boolean     not null default false,
    type        text        not null default 'full' check (type in ('full', 'partial')),
    status      text        not null default 'active' check (status in ('active', 'pending', 'initializing', 'moved')),
    created_on  timestamptz not null default now(),
    modified_on timestamptz not null default now()
);
create index zones_account_idx on zones (account_id, name);

-- Only settings a zone chose explicitly are stored; the rest take the catalogue's plan default.
create table zone_settings (
    zone_id     char(32)    not null references zones (id) on delete cascade,
    setting_id  text        not null check (setting_id ~ '^[a-z0-9_]{1,64}$'),
    -- JSON string for words ("on"), JSON number for sizes (100)
    value       jsonb       not null check (jsonb_typeof(value) in ('string', 'number')),
    modified_on timestamptz not null default now(),
    primary key (zone_id, setting_id)
);

-- The single config revision counter. Writers take the next revision with
--   update config_revision set revision = revision + 1 returning revision
-- inside their transaction: the row lock is held until commit, so revisions commit strictly in
-- order and a reader that has seen revision n can never later find a committed change below n.
create table config_revision (
    singleton boolean primary key default true check (singleton),
    revision  bigint  not null check (revision >= 0)
);
insert into config_revision (singleton, revision) values (true, 0);

-- One row per revision. payload is the change as WireFormat.changeToJson writes it (it includes
-- revision and type), so the stream serves it as is. No foreign key to zones: a deleted zone's
-- history stays until compaction.
create table change_log (
    revision    bigint      primary key check (revision > 0),
    zone_id     char(32)    not null check (zone_id ~ '^[0-9a-f]{32}$'),
    kind        text        not null check (kind in ('zone_upserted', 'zone_deleted')),
    payload     jsonb       not null check (jsonb_typeof(payload) = 'object'),
    created_at  timestamptz not null default now()
);

-- NOTIFY is transactional: listeners hear of a revision only once it is committed, in commit order.
create function change_log_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('zoneplane_changes', new.revision::text);
    return new;
end;
$$;
create trigger change_log_notify after insert on change_log
    for each row execute function change_log_notify();
