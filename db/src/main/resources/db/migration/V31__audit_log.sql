-- Audit log (SPEC §3.3): who (token id, or the operator) changed what (zone, setting, old -> new),
-- when, under which request id and config revision. Rows are written in the same transaction as
-- the change they describe, and never change afterwards: UPDATE, DELETE and TRUNCATE are refused
-- by triggers (which bind the table owner too; REVOKE alone would not), so no API path, bug or
-- injected statement can rewrite history. Retention, if ever needed, is an operator's deliberate
-- act (drop the trigger in a maintenance window), not something the application can do.

create table audit_log (
    id          bigserial   primary key,
    at          timestamptz not null default now(),
    -- the account the changed thing belongs to; no foreign key: history outlives what it describes
    account_id  char(32)    not null check (account_id ~ '^[0-9a-f]{32}$'),
    actor_type  text        not null check (actor_type in ('operator', 'token', 'system')),
    token_id    char(32)    check (token_id ~ '^[0-9a-f]{32}$'),
    action      text        not null check (action ~ '^[a-z_]{1,64}$'),
    zone_id     char(32)    check (zone_id ~ '^[0-9a-f]{32}$'),
    setting_id  text        check (setting_id ~ '^[a-z0-9_]{1,64}$'),
    old_value   jsonb,
    new_value   jsonb,
    revision    bigint      check (revision > 0),
    request_id  text        check (length(request_id) between 1 and 128),
    source_ip   inet,
    constraint audit_log_actor check ((actor_type = 'token') = (token_id is not null))
);
create index audit_log_account_idx on audit_log (account_id, id desc);
create index audit_log_zone_idx on audit_log (account_id, zone_id, id desc) where zone_id is not null;

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();

revoke update, delete, truncate on audit_log from public;
