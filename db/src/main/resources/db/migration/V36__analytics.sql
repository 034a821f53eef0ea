-- Traffic analytics (issue 22): what edge nodes measured of each zone's traffic, by minute, hour and
-- day. Every table is range-partitioned on its time column `ts` (daily partitions for the minute
-- tables, monthly for hours and days); the control plane creates partitions ahead and drops them
-- whole for retention (analytics.AnalyticsPartitions), so no DELETE ever sweeps old rows.
-- There is no foreign key to zones: a deleted zone's past usage stays until its partitions age out,
-- and account_id is kept on the per-zone rows so an account's usage still counts it.

-- One row per (zone, minute, node): the idempotency key of ingest (a retried report inserts
-- nothing), that node's uniques sketch (Apache DataSketches HLL) and its WebSocket minute.
create table analytics_zone_1m (
    ts                    timestamptz not null,
    zone_id               char(32)    not null,
    node_id               text        not null,
    account_id            char(32)    not null,
    uniques               bytea       not null,
    ws_opened             bigint      not null,
    ws_closed_normal      bigint      not null,
    ws_closed_abnormal    bigint      not null,
    ws_peak_concurrent    bigint      not null,
    ws_connection_seconds bigint      not null,
    ws_billable_minutes   bigint      not null,
    ws_bytes_to_client    bigint      not null,
    ws_bytes_to_origin    bigint      not null,
    primary key (zone_id, ts, node_id)
) partition by range (ts);

-- Requests and bytes per dimension tuple, as each node reported them (summed over nodes by queries).
create table analytics_http_1m (
    ts                timestamptz not null,
    zone_id           char(32)    not null,
    node_id           text        not null,
    country           text        not null,
    status            integer     not null,
    protocol          text        not null,
    kind              text        not null,
    ssl_protocol      text        not null,
    host              text        not null,
    content_type      text        not null,
    requests          bigint      not null,
    bytes_to_client   bigint      not null,
    bytes_from_client bigint      not null
) partition by range (ts);
create index analytics_http_1m_zone_idx on analytics_http_1m (zone_id, ts);

-- Hours and days: one row per zone and bucket (uniques = the union sketch of the finer rows,
-- ws_peak_concurrent = the highest per-minute sum over nodes), and the tuples summed over nodes.
create table analytics_zone_1h (like analytics_zone_1m) partition by range (ts);
alter table analytics_zone_1h drop column node_id;
alter table analytics_zone_1h add primary key (zone_id, ts);
create table analytics_http_1h (like analytics_http_1m) partition by range (ts);
alter table analytics_http_1h drop column node_id;
create index analytics_http_1h_zone_idx on analytics_http_1h (zone_id, ts);

create table analytics_zone_1d (like analytics_zone_1h) partition by range (ts);
alter table analytics_zone_1d add primary key (zone_id, ts);
create table analytics_http_1d (like analytics_http_1h) partition by range (ts);
create index analytics_http_1d_zone_idx on analytics_http_1d (zone_id, ts);

-- Buckets of a coarser level whose finer data changed since they were last rolled up ('1h': an
-- hour that received minutes, '1d': a day whose hours were rolled). The rollup job rolls a bucket
-- once it has closed (plus a grace delay) and deletes the row only if marked_at is unchanged, so a
-- late minute that arrives while its hour is being rolled marks it again.
create table analytics_rollup_pending (
    level     text        not null check (level in ('1h', '1d')),
    ts        timestamptz not null,
    marked_at timestamptz not null default clock_timestamp(),
    primary key (level, ts)
);

-- How far each level is rolled up: every bucket before rolled_through that had data is rolled.
create table analytics_rollup_watermark (
    level          text        primary key check (level in ('1h', '1d')),
    rolled_through timestamptz not null
);

-- Tokens may carry the new analytics:read permission (GraphQL Analytics API, usage endpoints).
alter table api_tokens drop constraint api_tokens_permissions_check;
alter table api_tokens add constraint api_tokens_permissions_check
    check (cardinality(permissions) between 1 and 6
           and permissions <@ array['zone:read', 'zone:edit', 'zone_settings:read',
                                    'zone_settings:edit', 'account:admin', 'analytics:read']::text[]);
