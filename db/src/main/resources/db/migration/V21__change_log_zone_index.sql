-- GET /zones/{id}/propagation asks for a zone's latest revision: max(revision) per zone_id.
create index change_log_zone_idx on change_log (zone_id, revision);
