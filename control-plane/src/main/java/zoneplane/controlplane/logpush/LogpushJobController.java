package zoneplane.controlplane.logpush;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;

/**
 * Cloudflare's Logpush job API for zones: jobs (list, create, details, update, delete), the
 * {@code http_requests} dataset's jobs and fields, and the destination and option checks. Reading
 * needs {@code logs:read}, everything else {@code logs:edit} ({@code AccessPolicy}); another
 * tenant's zone answers 404 as everywhere.
 */
@RestController
@Tag(name = "Logpush", description = "Per-request logs of a zone (the http_requests dataset), pushed by every edge node to "
        + "HTTP endpoints or Kafka")
class LogpushJobController {

    private static final String JOBS = "/zones/{zone_id}/logpush/jobs";
    private static final String DESTINATIONS = " destination_conf: https://host/path?header_<Name>=<value> (http:// and "
            + "private or loopback hosts only where the operator allows private destinations: 400, 9713 otherwise), or "
            + "kafka://host:port[,host:port]/topic?tls=true&sasl_mechanism=PLAIN|SCRAM-SHA-256|SCRAM-SHA-512&sasl_username=…"
            + "&sasl_password=…&compression=none|gzip|snappy|lz4|zstd&client_id=… (Zoneplane's extension). Secret values "
            + "(header_* values, URL passwords, sasl_password, parameters named like key/token/secret) are answered masked (*****); "
            + "sending the masked text back unchanged keeps them.";
    private static final String FIELDS = " output_options: field_names (GET …/datasets/http_requests/fields), timestamp_format "
            + "unixnano (default) | unix | rfc3339 | rfc3339ms, sample_rate (0, 1], output_type ndjson, batch_prefix, batch_suffix, "
            + "record_prefix, record_suffix, record_delimiter, CVE-2021-44228. filter: Cloudflare's filter JSON as a string, "
            + "{\"where\":{\"and\":[{\"key\":…,\"operator\":…,\"value\":…}]}} with operators eq, !eq, lt, leq, gt, geq, startsWith, "
            + "endsWith, !startsWith, !endsWith, contains, !contains, in, !in. max_upload_bytes 5000000-1000000000, "
            + "max_upload_records 1000-1000000, max_upload_interval_seconds 30-300, each 0 for the node's default. "
            + "Invalid fields, options or filters: 400, 1003, naming them.";

    @Schema(name = "LogpushJobWrite", description = "Cloudflare's job fields; on update, omitted fields keep their value")
    record JobWrite(
            @Schema(example = "example-com") String name,
            @Schema(allowableValues = {"http_requests"}, defaultValue = "http_requests") String dataset,
            @Schema(example = "https://logs.example.net/ingest?header_Authorization=Bearer%20abc") String destination_conf,
            @Schema(defaultValue = "false") Boolean enabled,
            Map<String, Object> output_options,
            @Schema(description = "Cloudflare's filter JSON as a string (a JSON text, not an object), e.g. "
                    + "{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}}") String filter,
            Long max_upload_bytes, Long max_upload_records, Long max_upload_interval_seconds) {}

    record DestinationCheck(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://logs.example.net/ingest") String destination_conf) {}

    record OptionsCheck(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "fields=ClientIP,RayID&timestamps=rfc3339")
            String logpull_options) {}

    /**
     * Cloudflare's answer of both checks when they pass. A failed check answers the error a job
     * would get, so that a client sees one message and one code for one problem.
     */
    record Validity(boolean valid, String message) {
        static final Validity VALID = new Validity(true, "");
    }

    private final LogpushJobService service;
    private final LogpushProperties properties;

    LogpushJobController(LogpushJobService service, LogpushProperties properties) {
        this.service = service;
        this.properties = properties;
    }

    @GetMapping(JOBS)
    @Operation(summary = "List Logpush jobs", description = "Every job of the zone, with its delivery status merged over the "
            + "edge nodes (last_complete: the latest batch any node delivered; last_error and error_message: set while a node "
            + "that reported recently fails) and zoneplane_delivery (totals and per-node reports).")
    Envelope<List<LogpushJobView>> list(@PathVariable("zone_id") String zoneId, AccountScope scope) {
        return all(service.list(scope, zoneId));
    }

    @PostMapping(JOBS)
    @Operation(summary = "Create a Logpush job", description = "A new job is disabled unless enabled is true; once enabled, every "
            + "edge node delivers its own records of the zone to the destination. No ownership challenge is asked for." + DESTINATIONS
            + FIELDS + " At most ZONEPLANE_LOGPUSH_MAX_JOBS_PER_ZONE jobs (default 4) per zone: 400, 9714.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = JobWrite.class))))
    Envelope<LogpushJobView> create(@PathVariable("zone_id") String zoneId, @RequestBody JsonNode body, AccountScope scope) {
        return Envelope.of(service.create(scope, zoneId, body));
    }

    @GetMapping(JOBS + "/{job_id}")
    @Operation(summary = "Logpush job details")
    Envelope<LogpushJobView> get(@PathVariable("zone_id") String zoneId, @PathVariable("job_id") String jobId, AccountScope scope) {
        return Envelope.of(service.get(scope, zoneId, jobId));
    }

    @PutMapping(JOBS + "/{job_id}")
    @Operation(summary = "Update a Logpush job", description = "Changes the fields the body names; dataset cannot change."
            + DESTINATIONS + FIELDS,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = JobWrite.class))))
    Envelope<LogpushJobView> update(@PathVariable("zone_id") String zoneId, @PathVariable("job_id") String jobId,
            @RequestBody JsonNode body, AccountScope scope) {
        return Envelope.of(service.update(scope, zoneId, jobId, body));
    }

    @DeleteMapping(JOBS + "/{job_id}")
    @Operation(summary = "Delete a Logpush job", description = "Result is {\"id\": …}. Nodes stop delivering at their next poll of the job feed.")
    Envelope<Map<String, Long>> delete(@PathVariable("zone_id") String zoneId, @PathVariable("job_id") String jobId, AccountScope scope) {
        return Envelope.of(Map.of("id", service.delete(scope, zoneId, jobId)));
    }

    @GetMapping("/zones/{zone_id}/logpush/datasets/{dataset_id}/jobs")
    @Operation(summary = "List Logpush jobs of a dataset", description = "Zoneplane's zones have the http_requests dataset only; "
            + "another dataset answers 404, 9711.")
    Envelope<List<LogpushJobView>> datasetJobs(@PathVariable("zone_id") String zoneId, @PathVariable("dataset_id") String dataset,
            AccountScope scope) {
        List<LogpushJobView> jobs = service.list(scope, zoneId);
        requireDataset(dataset);
        return all(jobs);
    }

    @GetMapping("/zones/{zone_id}/logpush/datasets/{dataset_id}/fields")
    @Operation(summary = "List the fields of a dataset", description = "An object of field name → description, Cloudflare's "
            + "names; ZoneplaneConnectionKind (http, websocket, grpc) is Zoneplane's own.")
    Envelope<Map<String, String>> fields(@PathVariable("zone_id") String zoneId, @PathVariable("dataset_id") String dataset,
            AccountScope scope) {
        service.requireZone(scope, zoneId);
        requireDataset(dataset);
        Map<String, String> fields = new LinkedHashMap<>();
        for (HttpRequestsField field : HttpRequestsField.values()) {
            fields.put(field.fieldName(), field.description() + " (" + field.type().wire() + ")");
        }
        return Envelope.of(fields);
    }

    @PostMapping("/zones/{zone_id}/logpush/validate/destination")
    @Operation(summary = "Validate a destination", description = "Whether a job could deliver to destination_conf under the "
            + "operator's rules: {\"valid\":true,\"message\":\"\"}, or the 400 a job with it would get (9712, 9713) saying why "
            + "not. Checks the text only and never connects to the destination (host names are checked by each node when it "
            + "resolves them).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = DestinationCheck.class))))
    Envelope<Validity> validateDestination(@PathVariable("zone_id") String zoneId, @RequestBody JsonNode body, AccountScope scope) {
        service.requireZone(scope, zoneId);
        String destination = JsonBody.of(body, Set.of("destination_conf")).requiredText("destination_conf");
        Destination.parse(destination, properties.allowPrivateDestinations());
        return Envelope.of(Validity.VALID);
    }

    @PostMapping("/zones/{zone_id}/logpush/validate/origin")
    @Operation(summary = "Validate log options", description = "Whether logpull_options (fields=…&timestamps=…&sample=…"
            + "&CVE-2021-44228=…) names fields of http_requests and valid options: {\"valid\":true,\"message\":\"\"}, or 400, "
            + "1003 naming what is wrong.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = OptionsCheck.class))))
    Envelope<Validity> validateOrigin(@PathVariable("zone_id") String zoneId, @RequestBody JsonNode body, AccountScope scope) {
        service.requireZone(scope, zoneId);
        JsonBody check = JsonBody.of(body, Set.of("logpull_options", "dataset"));
        check.optionalText("dataset").ifPresent(LogpushJobController::requireDataset);
        String options = check.requiredText("logpull_options");
        LogpullOptions.read(options, OutputOptions.defaults(HttpRequestsField.DEFAULT_FIELDS));
        return Envelope.of(Validity.VALID);
    }

    private static void requireDataset(String dataset) {
        if (!HttpRequestsField.DATASET.equals(dataset)) {
            throw new ApiException(ApiErrorCode.LOGPUSH_UNKNOWN_DATASET, "Unknown dataset: Zoneplane's zones have "
                    + HttpRequestsField.DATASET);
        }
    }

    private static Envelope<List<LogpushJobView>> all(List<LogpushJobView> jobs) {
        return Envelope.list(jobs, ResultInfo.of(new PageRequest(1, Math.max(1, Math.min(jobs.size(), PageRequest.MAX_PER_PAGE))),
                jobs.size(), jobs.size()));
    }
}
