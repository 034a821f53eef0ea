-- Zone names per account (issue 20 item 3), Cloudflare's model: several accounts may hold a zone of
-- one name, but only one of them is active (served by the edge); the others are pending (never
-- active yet) or moved (were active until another account's zone of the name was activated).
-- Within one account a name is unique whatever the status.
alter table zones drop constraint zones_name_key;
drop index zones_account_idx;
create unique index zones_account_name_key on zones (account_id, name);
create unique index zones_active_name_key on zones (name) where status = 'active';
-- unscoped lookups by name (the operator's list, the name lock of create and activation)
create index zones_name_idx on zones (name);

-- when the zone last became active; null while it never was. The API inserts every zone with an
-- explicit status and activated_on; the defaults (active, now) keep direct inserts (benchmarks,
-- test writers) serving as before.
alter table zones add column activated_on timestamptz default now();
update zones set activated_on = case when status = 'active' then created_on end;
alter table zones add constraint zones_active_has_activated_on check (status <> 'active' or activated_on is not null);
