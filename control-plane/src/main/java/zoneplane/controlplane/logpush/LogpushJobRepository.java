package zoneplane.controlplane.logpush;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.jdbc.support.SqlArrayValue;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.wire.LogpushReport;

/**
 * Jobs and node delivery reports in PostgreSQL ({@code logpush_jobs}, {@code logpush_deliveries}).
 * Every job query names its zone, so a job id of another zone is simply not found; the caller has
 * already passed the zone's tenancy gate.
 */
@Repository
class LogpushJobRepository {

    private static final String COLUMNS = "id, zone_id, name, destination_conf, enabled, output_options::text as output_options,"
            + " filter, max_upload_bytes, max_upload_records, max_upload_interval_seconds, created_on, modified_on";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    LogpushJobRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    LogpushJob insert(String zoneId, JobSettings s) {
        return jdbc.sql("insert into logpush_jobs (zone_id, name, dataset, destination_conf, enabled, output_options, filter,"
                        + " max_upload_bytes, max_upload_records, max_upload_interval_seconds) values (:zone, :name, :dataset,"
                        + " :destination, :enabled, cast(:output as jsonb), :filter, :bytes, :records, :interval) returning " + COLUMNS)
                .params(parameters(zoneId, s)).param("dataset", HttpRequestsField.DATASET)
                .query(this::map).single();
    }

    Optional<LogpushJob> update(String zoneId, long id, JobSettings s) {
        return jdbc.sql("update logpush_jobs set name = :name, destination_conf = :destination, enabled = :enabled,"
                        + " output_options = cast(:output as jsonb), filter = :filter, max_upload_bytes = :bytes,"
                        + " max_upload_records = :records, max_upload_interval_seconds = :interval, modified_on = now()"
                        + " where zone_id = :zone and id = :id returning " + COLUMNS)
                .params(parameters(zoneId, s)).param("id", id)
                .query(this::map).optional();
    }

    boolean delete(String zoneId, long id) {
        return jdbc.sql("delete from logpush_jobs where zone_id = :zone and id = :id").param("zone", zoneId).param("id", id).update() > 0;
    }

    /** The job, locked until the end of the caller's transaction when {@code lock} (edits serialise). */
    Optional<LogpushJob> find(String zoneId, long id, boolean lock) {
        return jdbc.sql("select " + COLUMNS + " from logpush_jobs where zone_id = :zone and id = :id" + (lock ? " for update" : ""))
                .param("zone", zoneId).param("id", id).query(this::map).optional();
    }

    List<LogpushJob> list(String zoneId) {
        return jdbc.sql("select " + COLUMNS + " from logpush_jobs where zone_id = :zone order by id")
                .param("zone", zoneId).query(this::map).list();
    }

    long count(String zoneId) {
        return jdbc.sql("select count(*) from logpush_jobs where zone_id = :zone").param("zone", zoneId).query(Long.class).single();
    }

    /** Every enabled job of every zone, by id: what nodes deliver. */
    List<LogpushJob> enabled() {
        return jdbc.sql("select " + COLUMNS + " from logpush_jobs where enabled order by id").query(this::map).list();
    }

    /** The nodes' latest reports of these jobs, by job. */
    Map<Long, List<DeliveryStatus.NodeDelivery>> deliveries(Collection<Long> jobIds) {
        Map<Long, List<DeliveryStatus.NodeDelivery>> byJob = new HashMap<>();
        if (jobIds.isEmpty()) {
            return byJob;
        }
        jdbc.sql("select job_id, node_id, last_complete, last_error, error_message, records_delivered + earlier_delivered as delivered,"
                        + " records_dropped + earlier_dropped as dropped, duplicates_retried + earlier_duplicates as duplicates, reported_on"
                        + " from logpush_deliveries where job_id = any(cast(:jobs as bigint[])) order by job_id, node_id")
                .param("jobs", new SqlArrayValue("bigint", jobIds.toArray()))
                .query(rs -> {
                    byJob.computeIfAbsent(rs.getLong("job_id"), id -> new ArrayList<>()).add(new DeliveryStatus.NodeDelivery(
                            rs.getString("node_id"), instant(rs, "last_complete"), instant(rs, "last_error"), rs.getString("error_message"),
                            rs.getLong("delivered"), rs.getLong("dropped"), rs.getLong("duplicates"), instant(rs, "reported_on")));
                });
        return byJob;
    }

    /**
     * Stores a node's report: per job the latest outcome and the node's totals. A report of an older
     * run of the node than the one stored (it arrived late) changes nothing; a newer run carries the
     * stored totals into {@code earlier_*}. Jobs that no longer exist are skipped. Returns how many
     * jobs were recorded.
     */
    int record(String nodeId, LogpushReport report) {
        Map<Long, LogpushReport.JobOutcome> latest = new LinkedHashMap<>();
        report.jobs().forEach(outcome -> latest.put(outcome.jobId(), outcome)); // one row per job: the last wins
        if (latest.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LogpushReport.JobOutcome o : latest.values()) {
            Map<String, Object> row = new HashMap<>();
            row.put("job_id", o.jobId());
            row.put("last_complete", o.lastComplete() == null ? null : o.lastComplete().toString());
            row.put("last_error", o.lastError() == null ? null : o.lastError().toString());
            row.put("error_message", o.errorMessage());
            row.put("records_delivered", o.recordsDelivered());
            row.put("records_dropped", o.recordsDropped());
            row.put("duplicates_retried", o.duplicatesRetried());
            rows.add(row);
        }
        return jdbc.sql("""
                insert into logpush_deliveries as d (job_id, node_id, started_on, last_complete, last_error, error_message,
                                                     records_delivered, records_dropped, duplicates_retried, reported_on)
                select r.job_id, :node, cast(:started as timestamptz), r.last_complete, r.last_error, r.error_message,
                       r.records_delivered, r.records_dropped, r.duplicates_retried, now()
                from jsonb_to_recordset(cast(:rows as jsonb))
                    as r(job_id bigint, last_complete timestamptz, last_error timestamptz, error_message text,
                         records_delivered bigint, records_dropped bigint, duplicates_retried bigint)
                join logpush_jobs j on j.id = r.job_id
                on conflict (job_id, node_id) do update set
                    earlier_delivered = d.earlier_delivered + case when excluded.started_on > d.started_on then d.records_delivered else 0 end,
                    earlier_dropped = d.earlier_dropped + case when excluded.started_on > d.started_on then d.records_dropped else 0 end,
                    earlier_duplicates = d.earlier_duplicates + case when excluded.started_on > d.started_on then d.duplicates_retried else 0 end,
                    started_on = excluded.started_on, last_complete = excluded.last_complete, last_error = excluded.last_error,
                    error_message = excluded.error_message, records_delivered = excluded.records_delivered,
                    records_dropped = excluded.records_dropped, duplicates_retried = excluded.duplicates_retried, reported_on = now()
                where excluded.started_on >= d.started_on
                """)
                .param("node", nodeId)
                .param("started", report.startedOn().toString())
                .param("rows", json.writeValueAsString(rows))
                .update();
    }

    private Map<String, Object> parameters(String zoneId, JobSettings s) {
        Map<String, Object> p = new HashMap<>();
        p.put("zone", zoneId);
        p.put("name", s.name());
        p.put("destination", s.destinationConf());
        p.put("enabled", s.enabled());
        p.put("output", json.writeValueAsString(OutputOptionsJson.write(s.outputOptions())));
        p.put("filter", s.filter().toJson());
        p.put("bytes", s.maxUploadBytes());
        p.put("records", s.maxUploadRecords());
        p.put("interval", s.maxUploadIntervalSeconds());
        return p;
    }

    private LogpushJob map(ResultSet rs, int row) throws SQLException {
        OutputOptions output = OutputOptionsJson.read(json.readTree(rs.getString("output_options")),
                OutputOptions.defaults(HttpRequestsField.DEFAULT_FIELDS));
        JobSettings settings = new JobSettings(rs.getString("name"), rs.getString("destination_conf"), rs.getBoolean("enabled"),
                output, LogpushFilter.parse(rs.getString("filter")), rs.getLong("max_upload_bytes"), rs.getLong("max_upload_records"),
                rs.getLong("max_upload_interval_seconds"));
        return new LogpushJob(rs.getLong("id"), rs.getString("zone_id"), settings, instant(rs, "created_on"), instant(rs, "modified_on"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
