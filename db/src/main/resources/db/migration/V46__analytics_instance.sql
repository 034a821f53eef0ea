-- Traffic analytics (issue 22): a node that restarts within a minute reports that minute twice, once
-- from the process that flushed its first part on shutdown and once from the new process with the
-- rest. Each node process names itself (UsageReport.instance_id; '' from nodes that predate it), and
-- the idempotency key of a raw minute becomes (zone, minute, node, instance): a retried report (same
-- instance) still inserts nothing, two processes' parts of one minute both count.
-- V46, not V37: V45 exists, and Flyway refuses a lower version on a database already past it.
alter table analytics_zone_1m add column instance_id text not null default '';
alter table analytics_zone_1m drop constraint analytics_zone_1m_pkey;
alter table analytics_zone_1m add primary key (zone_id, ts, node_id, instance_id);
alter table analytics_http_1m add column instance_id text not null default '';
