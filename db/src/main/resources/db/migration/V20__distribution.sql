-- Config distribution (SPEC §4): how far compaction trimmed the change log, and the data-plane nodes.

-- The highest revision compaction has deleted (0 = nothing deleted yet). A node asking for changes
-- after a revision below this gets 410 Gone and takes a snapshot: its next change is no longer kept.
create table change_log_retention (
    singleton         boolean     primary key default true check (singleton),
    compacted_through bigint      not null check (compacted_through >= 0),
    compacted_at      timestamptz
);
insert into change_log_retention (singleton, compacted_through) values (true, 0);

-- Data-plane nodes as they last reported themselves. A node is "live" while last_seen is recent
-- (zoneplane.distribution.node-dead-after); older rows stay listed as not live until purged.
create table edge_nodes (
    node_id          text        primary key check (node_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
    version          text        not null check (length(version) <= 100),
    address          text        not null check (length(address) <= 300),
    applied_revision bigint      not null check (applied_revision >= 0),
    registered_on    timestamptz not null default now(),
    last_seen        timestamptz not null default now()
);
create index edge_nodes_last_seen_idx on edge_nodes (last_seen);

-- Node reports wake the control-plane replicas waiting on propagation (Prefer: wait) wherever the
-- report landed; the payload is the reporting node's id.
create function edge_nodes_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('zoneplane_node_reports', new.node_id);
    return new;
end;
$$;
create trigger edge_nodes_notify after insert or update on edge_nodes
    for each row execute function edge_nodes_notify();
