package zoneplane.model.wire;

import static zoneplane.model.wire.JsonTokens.bool;
import static zoneplane.model.wire.JsonTokens.decimal;
import static zoneplane.model.wire.JsonTokens.expect;
import static zoneplane.model.wire.JsonTokens.number;
import static zoneplane.model.wire.JsonTokens.text;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;

/**
 * The Logpush jobs every node delivers ({@code GET /internal/v1/logpush/jobs}): every enabled job of
 * every zone, with what delivery needs and nothing else (no names, no status):
 * <pre>
 * {"jobs":[{"id":7,"zone_id":"…32 hex…","dataset":"http_requests",
 *   "destination_conf":"https://logs.example.net/in?header_Authorization=Bearer%20…",
 *   "output_options":{"field_names":["ClientIP","RayID"],"timestamp_format":"rfc3339","sample_rate":1.0,
 *     "output_type":"ndjson","batch_prefix":"","batch_suffix":"","record_prefix":"{","record_suffix":"}\n",
 *     "record_delimiter":"","CVE-2021-44228":false},
 *   "filter":"{\"where\":…}"|"",
 *   "max_upload_bytes":0,"max_upload_records":0,"max_upload_interval_seconds":0}]}
 * </pre>
 * {@code destination_conf} is in full, secrets included (nodes must present them): this document
 * travels only to holders of the node token. A {@code max_upload_*} of 0 leaves that limit to the
 * node. Readers skip unknown members (a newer control plane may send more), but a job whose
 * fields, format or filter this reader does not know is refused as a whole rather than delivered
 * differently from what its owner asked.
 */
public record LogpushJobs(List<Job> jobs) {

    public LogpushJobs {
        jobs = List.copyOf(jobs);
    }

    /** One job as nodes deliver it. */
    public record Job(long id, String zoneId, String dataset, String destinationConf, OutputOptions outputOptions,
            LogpushFilter filter, long maxUploadBytes, long maxUploadRecords, long maxUploadIntervalSeconds) {
        public Job {
            Objects.requireNonNull(zoneId, "zoneId");
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(destinationConf, "destinationConf");
            Objects.requireNonNull(outputOptions, "outputOptions");
            Objects.requireNonNull(filter, "filter");
            if (maxUploadBytes < 0 || maxUploadRecords < 0 || maxUploadIntervalSeconds < 0) {
                throw new IllegalArgumentException("max_upload limits are never negative");
            }
        }

        /** The job's destination without its secrets, for logs and {@code toString}. */
        @Override
        public String toString() {
            return "Job[" + id + ", zone " + zoneId + ", " + dataset + ", " + outputOptions.fieldNames().size() + " fields]";
        }
    }

    public String toJson() {
        StringWriter out = new StringWriter(128 + 512 * jobs.size());
        try (JsonGenerator g = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeName("jobs");
            g.writeStartArray();
            for (Job job : jobs) {
                writeJob(g, job);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    /** The jobs in {@code json}; anything else throws {@link WireFormatException} (safe to log). */
    public static LogpushJobs fromJson(String json) {
        try (JsonParser p = WireFormat.FACTORY.createParser(ObjectReadContext.empty(), json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "logpush jobs");
            List<Job> jobs = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("jobs")) {
                    expect(value, JsonToken.START_ARRAY, name);
                    jobs = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        jobs.add(readJob(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            JsonTokens.end(p, "logpush jobs");
            if (jobs == null) {
                throw new WireFormatException("logpush jobs need a jobs array");
            }
            return new LogpushJobs(jobs);
        } catch (JacksonException e) {
            throw new WireFormatException("malformed logpush jobs: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException("invalid logpush job: " + e.getMessage(), e);
        }
    }

    /** One job as the feed writes it. */
    private static void writeJob(JsonGenerator g, Job job) {
        g.writeStartObject();
        g.writeNumberProperty("id", job.id());
        g.writeStringProperty("zone_id", job.zoneId());
        g.writeStringProperty("dataset", job.dataset());
        g.writeStringProperty("destination_conf", job.destinationConf());
        OutputOptions o = job.outputOptions();
        g.writeName("output_options");
        g.writeStartObject();
        g.writeName("field_names");
        g.writeStartArray();
        for (HttpRequestsField field : o.fieldNames()) {
            g.writeString(field.fieldName());
        }
        g.writeEndArray();
        g.writeStringProperty("timestamp_format", o.timestampFormat().wire());
        g.writeNumberProperty("sample_rate", o.sampleRate());
        g.writeStringProperty("output_type", OutputOptions.OUTPUT_TYPE);
        g.writeStringProperty("batch_prefix", o.batchPrefix());
        g.writeStringProperty("batch_suffix", o.batchSuffix());
        g.writeStringProperty("record_prefix", o.recordPrefix());
        g.writeStringProperty("record_suffix", o.recordSuffix());
        g.writeStringProperty("record_delimiter", o.recordDelimiter());
        g.writeBooleanProperty("CVE-2021-44228", o.cve202144228());
        g.writeEndObject();
        g.writeStringProperty("filter", job.filter().toJson());
        g.writeNumberProperty("max_upload_bytes", job.maxUploadBytes());
        g.writeNumberProperty("max_upload_records", job.maxUploadRecords());
        g.writeNumberProperty("max_upload_interval_seconds", job.maxUploadIntervalSeconds());
        g.writeEndObject();
    }

    private static Job readJob(JsonParser p) {
        Long id = null;
        String zone = null, dataset = null, destination = null;
        OutputOptions output = null;
        LogpushFilter filter = LogpushFilter.ALL;
        long bytes = 0, records = 0, interval = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> id = number(p, value, name);
                case "zone_id" -> zone = text(p, value, name);
                case "dataset" -> dataset = text(p, value, name);
                case "destination_conf" -> destination = text(p, value, name);
                case "output_options" -> {
                    expect(value, JsonToken.START_OBJECT, name);
                    output = readOutput(p);
                }
                case "filter" -> filter = LogpushFilter.parse(text(p, value, name));
                case "max_upload_bytes" -> bytes = number(p, value, name);
                case "max_upload_records" -> records = number(p, value, name);
                case "max_upload_interval_seconds" -> interval = number(p, value, name);
                default -> p.skipChildren();
            }
        }
        if (id == null || output == null) {
            throw new WireFormatException("a logpush job needs id and output_options");
        }
        return new Job(id, zone, dataset, destination, output, filter, bytes, records, interval);
    }

    private static OutputOptions readOutput(JsonParser p) {
        OutputOptions defaults = OutputOptions.defaults(HttpRequestsField.DEFAULT_FIELDS);
        List<HttpRequestsField> fields = defaults.fieldNames();
        TimestampFormat format = defaults.timestampFormat();
        double sample = defaults.sampleRate();
        String[] text = {defaults.batchPrefix(), defaults.batchSuffix(), defaults.recordPrefix(), defaults.recordSuffix(),
                defaults.recordDelimiter()};
        boolean cve = false;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "field_names" -> fields = readFields(p, value);
                case "timestamp_format" -> {
                    String wire = text(p, value, name);
                    format = TimestampFormat.fromWire(wire).orElseThrow(() -> new WireFormatException(
                            "unknown timestamp_format " + wire));
                }
                case "sample_rate" -> sample = decimal(p, value, name);
                case "output_type" -> {
                    if (!OutputOptions.OUTPUT_TYPE.equals(text(p, value, name))) {
                        throw new WireFormatException("output_type must be " + OutputOptions.OUTPUT_TYPE);
                    }
                }
                case "batch_prefix" -> text[0] = text(p, value, name);
                case "batch_suffix" -> text[1] = text(p, value, name);
                case "record_prefix" -> text[2] = text(p, value, name);
                case "record_suffix" -> text[3] = text(p, value, name);
                case "record_delimiter" -> text[4] = text(p, value, name);
                case "CVE-2021-44228" -> cve = bool(value, name);
                default -> p.skipChildren();
            }
        }
        return new OutputOptions(fields, format, sample, text[0], text[1], text[2], text[3], text[4], cve);
    }

    private static List<HttpRequestsField> readFields(JsonParser p, JsonToken token) {
        expect(token, JsonToken.START_ARRAY, "field_names");
        List<HttpRequestsField> fields = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
            String name = text(p, next, "field_names");
            fields.add(HttpRequestsField.named(name).orElseThrow(() -> new WireFormatException("unknown field " + name)));
        }
        return fields;
    }
}
