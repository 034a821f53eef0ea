package zoneplane.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.LogpushFilter;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;

class LogpushJobsTest {

    private static final String ZONE = "0123456789abcdef0123456789abcdef";

    private static LogpushJobs jobs(String text) {
        OutputOptions options = new OutputOptions(List.of(HttpRequestsField.RAY_ID, HttpRequestsField.CLIENT_IP),
                TimestampFormat.RFC3339MS, 0.25, text, "]", "{", "}", text + ",", true);
        LogpushFilter filter = LogpushFilter.parse("{\"where\":{\"key\":\"ClientRequestHost\",\"operator\":\"eq\",\"value\":\""
                + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\u0000")
                + "\"}}");
        return new LogpushJobs(List.of(
                new LogpushJobs.Job(7, ZONE, HttpRequestsField.DATASET, "https://logs.example.net/in?header_X-Key=" + text,
                        options, filter, 5_000_000, 1000, 30),
                new LogpushJobs.Job(8, ZONE, HttpRequestsField.DATASET, "kafka://k1:9092,k2:9092/logs",
                        OutputOptions.defaults(HttpRequestsField.DEFAULT_FIELDS), LogpushFilter.ALL, 0, 0, 0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a \"quoted\" \\ text", "tab\tnewline\n nul \u0000", "漢字 😀", "${jndi:x}", ""})
    void jobsRoundTripFieldByFieldWhateverTheirText(String text) {
        LogpushJobs jobs = jobs(text);
        String json = jobs.toJson();
        assertThat(json).doesNotContain("\n").doesNotContain("\u0000");
        assertThat(LogpushJobs.fromJson(json)).isEqualTo(jobs);
    }

    @Test
    void itHasTheDocumentedShape() {
        String json = jobs("x").toJson();
        assertThat(json).startsWith("{\"jobs\":[{\"id\":7,\"zone_id\":\"" + ZONE + "\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"https://logs.example.net/in?header_X-Key=x\",\"output_options\":{\"field_names\":[\"RayID\",\"ClientIP\"],"
                + "\"timestamp_format\":\"rfc3339ms\",\"sample_rate\":0.25,\"output_type\":\"ndjson\",\"batch_prefix\":\"x\"");
        assertThat(json).contains("\"CVE-2021-44228\":true},\"filter\":\"{\\\"where\\\":")
                .contains("\"filter\":\"\",\"max_upload_bytes\":0");
    }

    @Test
    void toStringNeverShowsTheDestination() {
        assertThat(jobs("secret-value").jobs().get(0).toString()).doesNotContain("secret-value").doesNotContain("logs.example.net");
    }

    @Test
    void readersSkipUnknownMembersAndFillOmittedOptions() {
        LogpushJobs read = LogpushJobs.fromJson("{\"version\":2,\"jobs\":[{\"id\":1,\"zone_id\":\"" + ZONE + "\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"https://a.example/\",\"new\":{\"x\":[1]},\"output_options\":{\"field_names\":[\"RayID\"],\"later\":1}}]}");
        LogpushJobs.Job job = read.jobs().get(0);
        assertThat(job.outputOptions()).isEqualTo(OutputOptions.defaults(List.of(HttpRequestsField.RAY_ID)));
        assertThat(job.filter()).isEqualTo(LogpushFilter.ALL);
        assertThat(job.maxUploadRecords()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"jobs\":[{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"destination_conf\":\"d\",\"output_options\":{\"field_names\":[\"Nope\"]}}]}",
            "{\"jobs\":[{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"destination_conf\":\"d\",\"output_options\":{\"timestamp_format\":\"rfc3339ns\"}}]}",
            "{\"jobs\":[{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"destination_conf\":\"d\",\"output_options\":{\"output_type\":\"csv\"}}]}",
            "{\"jobs\":[{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"destination_conf\":\"d\",\"output_options\":{\"sample_rate\":0}}]}",
            "{\"jobs\":[{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"output_options\":{}}]}",
            "{\"jobs\":[{\"id\":1,\"zone_id\":\"z\",\"dataset\":\"http_requests\",\"destination_conf\":\"d\",\"output_options\":{},\"filter\":\"{\\\"where\\\":1}\"}]}",
            "{\"jobs\":[]} x", "{}", "[", ""})
    void whatTheReaderCannotDeliverFaithfullyIsRefused(String json) {
        assertThatThrownBy(() -> LogpushJobs.fromJson(json)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void aReportRoundTripsAndCutsLongMessages() {
        LogpushReport report = new LogpushReport(Instant.parse("2026-12-07T14:00:00Z"), List.of(
                new LogpushReport.JobOutcome(7, Instant.parse("2026-12-07T14:05:00.123Z"), null, null, 1200, 0, 3),
                new LogpushReport.JobOutcome(8, null, Instant.parse("2026-12-07T14:06:00Z"), "503 from \"logs\"\n\u0000 😀", 0, 17, 0)));
        String json = report.toJson();
        assertThat(json).startsWith("{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":[{\"job_id\":7,\"last_complete\":"
                + "\"2026-12-07T14:05:00.123Z\",\"last_error\":null,\"error_message\":null,\"records_delivered\":1200,");
        assertThat(LogpushReport.fromJson(json)).isEqualTo(report);
        assertThat(new LogpushReport.JobOutcome(1, null, null, "x".repeat(900), 0, 0, 0).errorMessage())
                .hasSize(LogpushReport.MAX_ERROR_MESSAGE);
        assertThatThrownBy(() -> LogpushReport.fromJson("{\"started_on\":\"yesterday\",\"jobs\":[]}")).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> LogpushReport.fromJson("{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":[{\"job_id\":1,"
                + "\"records_dropped\":-1}]}")).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> LogpushReport.fromJson("{\"jobs\":[]}")).isInstanceOf(WireFormatException.class);
    }
}
