package zoneplane.model.wire;

import static zoneplane.model.wire.JsonTokens.expect;
import static zoneplane.model.wire.JsonTokens.instant;
import static zoneplane.model.wire.JsonTokens.nullableText;
import static zoneplane.model.wire.JsonTokens.number;

import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;

/**
 * What a node tells the control plane about its Logpush deliveries
 * ({@code PUT /internal/v1/nodes/{node_id}/logpush}):
 * <pre>
 * {"started_on":"2026-12-07T14:00:00Z",
 *  "jobs":[{"job_id":7,"last_complete":"…"|null,"last_error":"…"|null,"error_message":"…"|null,
 *           "records_delivered":1200,"records_dropped":0,"duplicates_retried":3}]}
 * </pre>
 * Per job: when the node last delivered a batch ({@code last_complete}) and last failed to
 * ({@code last_error}, with {@code error_message}; both null once a later delivery succeeded, as
 * Cloudflare reports them), and counters since the node process started ({@code started_on}):
 * records delivered, records dropped (spool overflow, oldest first), and records sent again after
 * an attempt whose outcome was unknown (possible duplicates at the destination). Counters are
 * totals, not increments, so a retried report never counts twice; a new {@code started_on} starts
 * them again and the control plane keeps what the earlier run had counted.
 */
public record LogpushReport(Instant startedOn, List<JobOutcome> jobs) {

    /** At most this many jobs in one report. */
    public static final int MAX_JOBS = 10_000;
    /** Longest error message a report carries (longer ones are cut). */
    public static final int MAX_ERROR_MESSAGE = 500;

    public LogpushReport {
        Objects.requireNonNull(startedOn, "startedOn");
        if (jobs.size() > MAX_JOBS) {
            throw new IllegalArgumentException("a report covers at most " + MAX_JOBS + " jobs");
        }
        jobs = List.copyOf(jobs);
    }

    /** One job's outcome on the node; the instants and the message are null when there is none. */
    public record JobOutcome(long jobId, Instant lastComplete, Instant lastError, String errorMessage,
            long recordsDelivered, long recordsDropped, long duplicatesRetried) {
        public JobOutcome {
            if (recordsDelivered < 0 || recordsDropped < 0 || duplicatesRetried < 0) {
                throw new IllegalArgumentException("counts are never negative");
            }
            if (errorMessage != null && errorMessage.length() > MAX_ERROR_MESSAGE) {
                errorMessage = errorMessage.substring(0, MAX_ERROR_MESSAGE);
            }
        }
    }

    public String toJson() {
        StringWriter out = new StringWriter(64 + 200 * jobs.size());
        try (JsonGenerator g = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("started_on", startedOn.toString());
            g.writeName("jobs");
            g.writeStartArray();
            for (JobOutcome job : jobs) {
                g.writeStartObject();
                g.writeNumberProperty("job_id", job.jobId());
                g.writeStringProperty("last_complete", job.lastComplete() == null ? null : job.lastComplete().toString());
                g.writeStringProperty("last_error", job.lastError() == null ? null : job.lastError().toString());
                g.writeStringProperty("error_message", job.errorMessage());
                g.writeNumberProperty("records_delivered", job.recordsDelivered());
                g.writeNumberProperty("records_dropped", job.recordsDropped());
                g.writeNumberProperty("duplicates_retried", job.duplicatesRetried());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    /** The report in {@code json}; anything else throws {@link WireFormatException} (safe to show the sender). */
    public static LogpushReport fromJson(String json) {
        try (JsonParser p = WireFormat.FACTORY.createParser(ObjectReadContext.empty(), json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "report");
            Instant started = null;
            List<JobOutcome> jobs = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "started_on" -> started = instant(p, value, name);
                    case "jobs" -> {
                        expect(value, JsonToken.START_ARRAY, name);
                        jobs = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (jobs.size() == MAX_JOBS) {
                                throw new WireFormatException("a report covers at most " + MAX_JOBS + " jobs");
                            }
                            jobs.add(readOutcome(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            JsonTokens.end(p, "report");
            if (started == null || jobs == null) {
                throw new WireFormatException("a logpush report needs started_on and jobs");
            }
            return new LogpushReport(started, jobs);
        } catch (JacksonException e) {
            throw new WireFormatException("malformed logpush report: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid logpush report: " + e.getMessage(), e);
        }
    }

    private static JobOutcome readOutcome(JsonParser p) {
        Long job = null;
        Instant complete = null, error = null;
        String message = null;
        long delivered = 0, dropped = 0, duplicates = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "job_id" -> job = number(p, value, name);
                case "last_complete" -> complete = instant(p, value, name);
                case "last_error" -> error = instant(p, value, name);
                case "error_message" -> message = nullableText(p, value, name);
                case "records_delivered" -> delivered = number(p, value, name);
                case "records_dropped" -> dropped = number(p, value, name);
                case "duplicates_retried" -> duplicates = number(p, value, name);
                default -> p.skipChildren();
            }
        }
        if (job == null) {
            throw new WireFormatException("each job outcome needs job_id");
        }
        return new JobOutcome(job, complete, error, message, delivered, dropped, duplicates);
    }
}
