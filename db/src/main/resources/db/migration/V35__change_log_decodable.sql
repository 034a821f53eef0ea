-- Issue 21 item 1: a change the edge cannot decode stops nothing, but none should exist. The control
-- plane decodes every change before it commits it (ChangeLog); this constraint forbids, for any
-- writer, what the decoder (zoneplane.model.wire.WireFormat) refuses as far as SQL can see it: the
-- shape of the payload, its revision, type and zone id agreeing with the row, the zone's fields and
-- their types, setting ids and value types. What SQL cannot see (a word that is not one of the
-- setting's values) the nodes refuse and report (edge_nodes.refused, below).
--
-- Setting value types: max_upload is the only setting written as a JSON number (a MEGABYTES setting
-- of the catalogue); every other setting is a JSON string. A new MEGABYTES setting extends the list.
-- Never NULL (a CHECK passes on NULL): every unknown ends in false.
create function change_log_payload_decodable(revision bigint, zone_id text, kind text, payload jsonb)
    returns boolean language plpgsql immutable as $$
declare
    zone jsonb;
    setting record;
begin
    if jsonb_typeof(payload) is distinct from 'object'
            or payload -> 'revision' is distinct from to_jsonb(revision)
            or payload ->> 'type' is distinct from kind then
        return false;
    end if;
    if kind = 'zone_deleted' then
        return coalesce(jsonb_typeof(payload -> 'zone_id') = 'string' and payload ->> 'zone_id' = zone_id
            and jsonb_typeof(payload -> 'name') = 'string' and length(payload ->> 'name') between 1 and 253, false);
    end if;
    zone := payload -> 'zone';
    if jsonb_typeof(zone) is distinct from 'object'
            or jsonb_typeof(zone -> 'id') is distinct from 'string' or zone ->> 'id' is distinct from zone_id
            or jsonb_typeof(zone -> 'name') is distinct from 'string'
            or not (zone ->> 'name' ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')
            or zone ->> 'plan' is null or zone ->> 'plan' not in ('free', 'pro', 'business', 'enterprise')
            or jsonb_typeof(zone -> 'plan') is distinct from 'string'
            or coalesce(jsonb_typeof(zone -> 'origin'), 'null') not in ('null', 'string')
            or coalesce(jsonb_typeof(zone -> 'paused'), 'boolean') <> 'boolean'
            or coalesce(jsonb_typeof(zone -> 'settings'), 'object') <> 'object' then
        return false;
    end if;
    for setting in select key, value from jsonb_each(coalesce(zone -> 'settings', '{}'::jsonb)) loop
        if not (setting.key ~ '^[a-z0-9_]{1,64}$') then
            return false;
        end if;
        if setting.key = 'max_upload' then
            if jsonb_typeof(setting.value) <> 'number' or (setting.value #>> '{}')::numeric <= 0
                    or (setting.value #>> '{}') !~ '^[0-9]+$' then
                return false;
            end if;
        elsif jsonb_typeof(setting.value) <> 'string' or length(setting.value #>> '{}') = 0 then
            return false;
        end if;
    end loop;
    return true;
end;
$$;

-- NOT VALID: rows written before this migration are not re-checked (a poisoned one must not stop the
-- control plane from starting); every row inserted or updated from now on is.
alter table change_log add constraint change_log_payload_decodable
    check (coalesce(change_log_payload_decodable(revision, zone_id, kind, payload), false)) not valid;

-- A repaired row (UPDATE of a payload) tells every replica to drop its in-memory tail of the change
-- log, which would otherwise keep serving the old payload (distribution.ChangeStreamHub).
create function change_log_repaired() returns trigger language plpgsql as $$
begin
    perform pg_notify('zoneplane_change_repairs', new.revision::text);
    return new;
end;
$$;
create trigger change_log_repaired after update on change_log
    for each row when (old.payload is distinct from new.payload) execute function change_log_repaired();

-- The changes a node read but could not apply (a NACK each, newest per zone, at most 20), as it last
-- reported them: [{"revision":n,"zone_id":"…"|null,"reason":"…"}].
alter table edge_nodes add column refused jsonb not null default '[]'
    check (jsonb_typeof(refused) = 'array' and jsonb_array_length(refused) <= 20);
