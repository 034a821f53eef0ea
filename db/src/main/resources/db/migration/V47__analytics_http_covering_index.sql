-- Traffic analytics (issue 22): a zone's minutes are written minute by minute among every other zone's,
-- so its day of tuples lies on ~1,400 heap pages, one per minute, and a 24 h httpRequests1mGroups query
-- read them all (1,475 buffers for 4,320 tuples in the bench). With the tuple's columns in the index,
-- the query is an index-only scan over one zone's contiguous leaf pages (~95 buffers), once the
-- insert-driven autovacuum has marked the pages all-visible. The (zone_id, ts) index it replaces had
-- the same leading columns, so the usage endpoints' reads still use it. Costs about as much disk as
-- the table itself (70 MB per day for 100 zones at 3 tuples a minute, beside 23 MB for the old index).
-- On a large database the build takes minutes: run it through the migration Job (ZONEPLANE_MIGRATE_ONLY,
-- no statement or socket timeout), not a serving replica's startup.
drop index if exists analytics_http_1m_zone_idx;
create index if not exists analytics_http_1m_zone_cover_idx on analytics_http_1m (zone_id, ts)
    include (node_id, country, status, protocol, ssl_protocol, host, content_type,
             requests, bytes_to_client, bytes_from_client);
