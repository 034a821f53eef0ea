package zoneplane.controlplane.logpush;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.distribution.NodeFacing;
import zoneplane.controlplane.distribution.NodesController;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;
import zoneplane.model.wire.WireFormatException;

/**
 * The node side of Logpush (node token, {@link NodeFacing}): the jobs every node delivers, and the
 * outcome reports that make the job API's status true.
 *
 * <p>{@code GET /internal/v1/logpush/jobs} answers {@link LogpushJobs} (not an envelope, like the
 * snapshot) with a strong {@code ETag}, the SHA-256 of the document; a node polls with
 * {@code If-None-Match} and gets {@code 304} with no body while nothing changed, so polling every
 * few seconds costs one indexed query and no transfer. The tag depends on the content only, so
 * every control-plane replica gives the same one.
 */
@RestController
@NodeFacing
@Tag(name = "Distribution")
class LogpushFeedController {

    static final String JOBS_PATH = "/internal/v1/logpush/jobs";

    private final LogpushJobRepository jobs;

    LogpushFeedController(LogpushJobRepository jobs) {
        this.jobs = jobs;
    }

    @GetMapping(JOBS_PATH)
    @Operation(summary = "Every enabled Logpush job, with destinations in full; ETag / If-None-Match (node token)",
            description = "{\"jobs\":[{\"id\",\"zone_id\",\"dataset\",\"destination_conf\",\"output_options\",\"filter\","
                    + "\"max_upload_bytes\",\"max_upload_records\",\"max_upload_interval_seconds\"}]} (shared-model wire.LogpushJobs). "
                    + "304 without a body when If-None-Match holds the current ETag.")
    ResponseEntity<String> feed(@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        String body = new LogpushJobs(jobs.enabled().stream().map(LogpushJob::forNodes).toList()).toJson();
        String etag = "\"" + sha256(body) + "\"";
        if (matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @PutMapping(NodesController.NODES_PATH + "/{nodeId}/logpush")
    @Operation(summary = "An edge node reports its Logpush deliveries per job (node token)",
            description = "A LogpushReport (shared-model): {\"started_on\",\"jobs\":[{\"job_id\",\"last_complete\",\"last_error\","
                    + "\"error_message\",\"records_delivered\",\"records_dropped\",\"duplicates_retried\"}]}, counters being the node "
                    + "process's totals since started_on. Jobs that no longer exist are ignored. Result: {\"recorded\":n,\"ignored\":m}.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(type = "object"))))
    Envelope<Map<String, Integer>> report(@PathVariable String nodeId, @RequestBody String body) {
        if (!NodesController.NODE_ID.matcher(nodeId).matches()) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST,
                    "node_id must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        LogpushReport report;
        try {
            report = LogpushReport.fromJson(body);
        } catch (WireFormatException e) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, e.getMessage());
        }
        int recorded = jobs.record(nodeId, report);
        return Envelope.of(Map.of("recorded", recorded, "ignored", (int) report.jobs().stream()
                .map(LogpushReport.JobOutcome::jobId).distinct().count() - recorded));
    }

    /** RFC 9110 §13.1.2: weak comparison, a list of tags or {@code *}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
