-- Logpush (issue 23): a zone's jobs, Cloudflare's shape, and what each edge node reports of its
-- deliveries. Numbering: V45 and up are Logpush's (V36-V44 are another feature's).
--
-- destination_conf is stored in full, secrets included (header_* values, Kafka SASL passwords, URL
-- userinfo): every node needs them to deliver, and the API masks them on the way out. Ranges are
-- Cloudflare's (0 = the node's default); the API checks them too and answers with the message.
create table logpush_jobs (
    id                          bigint      generated always as identity primary key,
    zone_id                     char(32)    not null references zones (id) on delete cascade,
    name                        text        check (length(name) <= 512 and name ~ '^[a-zA-Z0-9.-]+$'),
    dataset                     text        not null check (dataset = 'http_requests'),
    destination_conf            text        not null check (length(destination_conf) between 1 and 4096),
    enabled                     boolean     not null default false,
    -- output_options with every value filled in, as the API answers them
    output_options              jsonb       not null check (jsonb_typeof(output_options) = 'object'),
    -- Cloudflare's filter JSON in canonical form; '' = no filter
    filter                      text        not null default '' check (length(filter) <= 65536),
    max_upload_bytes            bigint      not null default 0
                                check (max_upload_bytes = 0 or max_upload_bytes between 5000000 and 1000000000),
    max_upload_records          bigint      not null default 0
                                check (max_upload_records = 0 or max_upload_records between 1000 and 1000000),
    max_upload_interval_seconds bigint      not null default 0
                                check (max_upload_interval_seconds = 0 or max_upload_interval_seconds between 30 and 300),
    created_on                  timestamptz not null default now(),
    modified_on                 timestamptz not null default now()
);
create index logpush_jobs_zone_idx on logpush_jobs (zone_id, id);
-- the node feed reads only enabled jobs
create index logpush_jobs_enabled_idx on logpush_jobs (id) where enabled;

-- One row per job and node: the node's latest report. The counters are the node process's totals
-- since started_on (a retried report overwrites, never adds); when a node restarts (a new
-- started_on) its previous totals move into the earlier_* columns, so the job's totals survive.
create table logpush_deliveries (
    job_id              bigint      not null references logpush_jobs (id) on delete cascade,
    node_id             text        not null check (node_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
    started_on          timestamptz not null,
    last_complete       timestamptz,
    last_error          timestamptz,
    error_message       text        check (length(error_message) <= 500),
    records_delivered   bigint      not null check (records_delivered >= 0),
    records_dropped     bigint      not null check (records_dropped >= 0),
    duplicates_retried  bigint      not null check (duplicates_retried >= 0),
    earlier_delivered   bigint      not null default 0 check (earlier_delivered >= 0),
    earlier_dropped     bigint      not null default 0 check (earlier_dropped >= 0),
    earlier_duplicates  bigint      not null default 0 check (earlier_duplicates >= 0),
    reported_on         timestamptz not null default now(),
    primary key (job_id, node_id)
);

-- Tokens may carry logs:read and logs:edit (Cloudflare's "Logs Read" / "Logs Write"). The list of
-- permission names lives in Java (Permission, which refuses unknown names with 400); the schema
-- keeps their shape and a bound, so a feature adding a permission needs no migration of this check.
alter table api_tokens drop constraint api_tokens_permissions_check;
alter table api_tokens add constraint api_tokens_permissions_check
    check (cardinality(permissions) between 1 and 32
           and array_to_string(permissions, ',') ~ '^[a-z_]{1,32}:[a-z_]{1,32}(,[a-z_]{1,32}:[a-z_]{1,32})*$');
