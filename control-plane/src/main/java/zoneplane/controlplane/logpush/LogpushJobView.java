package zoneplane.controlplane.logpush;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.model.logpush.HttpRequestsField;

/**
 * A job as the API answers it: Cloudflare's {@code LogpushJob} fields (secrets in
 * {@code destination_conf} masked; {@code filter} null when there is none; {@code kind} always "")
 * and Zoneplane's {@code zoneplane_delivery}: totals and each node's latest report.
 */
@Schema(name = "LogpushJob")
record LogpushJobView(
        long id,
        String dataset,
        String name,
        @JsonProperty("destination_conf") @Schema(example = "https://logs.example.net/ingest?header_Authorization=*****") String destinationConf,
        boolean enabled,
        String kind,
        @JsonProperty("output_options") Map<String, Object> outputOptions,
        @Schema(description = "Cloudflare's filter JSON as a string, e.g. {\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}}; null when none")
        String filter,
        @JsonProperty("max_upload_bytes") long maxUploadBytes,
        @JsonProperty("max_upload_records") long maxUploadRecords,
        @JsonProperty("max_upload_interval_seconds") long maxUploadIntervalSeconds,
        @JsonProperty("last_complete") String lastComplete,
        @JsonProperty("last_error") String lastError,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("created_on") String createdOn,
        @JsonProperty("modified_on") String modifiedOn,
        @JsonProperty("zoneplane_delivery") Delivery delivery) {

    /** Zoneplane's delivery totals over every node and run, and each node's latest report. */
    record Delivery(
            @JsonProperty("records_delivered") long recordsDelivered,
            @JsonProperty("records_dropped") long recordsDropped,
            @JsonProperty("duplicates_retried") long duplicatesRetried,
            List<Node> nodes) {}

    record Node(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("last_complete") String lastComplete,
            @JsonProperty("last_error") String lastError,
            @JsonProperty("error_message") String errorMessage,
            @JsonProperty("records_delivered") long recordsDelivered,
            @JsonProperty("records_dropped") long recordsDropped,
            @JsonProperty("duplicates_retried") long duplicatesRetried,
            @JsonProperty("reported_on") String reportedOn) {}

    static LogpushJobView of(LogpushJob job, String maskedDestination, DeliveryStatus status) {
        JobSettings s = job.settings();
        String filter = s.filter().toJson();
        return new LogpushJobView(job.id(), HttpRequestsField.DATASET, s.name(), maskedDestination, s.enabled(), "",
                OutputOptionsJson.write(s.outputOptions()), filter.isEmpty() ? null : filter, s.maxUploadBytes(),
                s.maxUploadRecords(), s.maxUploadIntervalSeconds(), Timestamps.format(status.lastComplete()),
                Timestamps.format(status.lastError()), status.errorMessage(), Timestamps.format(job.createdOn()),
                Timestamps.format(job.modifiedOn()),
                new Delivery(status.recordsDelivered(), status.recordsDropped(), status.duplicatesRetried(),
                        status.nodes().stream().map(n -> new Node(n.nodeId(), Timestamps.format(n.lastComplete()),
                                Timestamps.format(n.lastError()), n.errorMessage(), n.recordsDelivered(), n.recordsDropped(),
                                n.duplicatesRetried(), Timestamps.format(n.reportedOn()))).toList()));
    }
}
