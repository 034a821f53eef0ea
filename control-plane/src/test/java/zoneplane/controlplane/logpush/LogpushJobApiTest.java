package zoneplane.controlplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.testing.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.Fixtures;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.wire.LogpushJobs;

/**
 * Cloudflare's Logpush job API over real HTTP on a real PostgreSQL, with the production rule for
 * destinations (private and loopback ones refused) and a node token for the feed: CRUD, validation,
 * permissions and tenancy, masking of secrets, the audit trail, the node feed and the node reports.
 */
@TestPropertySource(properties = {"zoneplane.node-token=" + LogpushJobApiTest.NODE_TOKEN,
        "zoneplane.logpush.allow-private-destinations=false"})
class LogpushJobApiTest extends ControlPlaneIntegrationTest {

    static final String NODE_TOKEN = "logpush-node-token-7c41e2";
    private static final String SECRET = "s3cr3t-bearer-9f1b";
    private static final String DESTINATION = "https://logs.example.net/ingest?header_Authorization=Bearer%20" + SECRET + "&tag=edge";

    @Autowired
    JdbcClient jdbc;

    String account;
    String zone;
    ApiClient editor;

    @BeforeEach
    void setUp() {
        Fixtures fixtures = new Fixtures(api());
        account = fixtures.account();
        zone = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();
        editor = anonymous().withToken(new SecurityFixtures(api(), jdbc).token(account, "logs:edit").value());
    }

    private String jobs() {
        return "/zones/" + zone + "/logpush/jobs";
    }

    private JsonNode create(String body) {
        return assertSuccess(editor.post(jobs(), body));
    }

    private ApiClient node() {
        return anonymous().withToken(NODE_TOKEN);
    }

    @Test
    void aJobIsCreatedReadListedUpdatedAndDeletedInCloudflaresShape() {
        JsonNode job = create("{\"name\":\"example-com\",\"dataset\":\"http_requests\",\"destination_conf\":\"" + DESTINATION + "\","
                + "\"output_options\":{\"field_names\":[\"ClientIP\",\"EdgeStartTimestamp\",\"ZoneplaneConnectionKind\"],"
                + "\"timestamp_format\":\"rfc3339\",\"sample_rate\":0.5,\"CVE-2021-44228\":true},"
                + "\"filter\":\"{\\\"where\\\":{\\\"and\\\":[{\\\"key\\\":\\\"EdgeResponseStatus\\\",\\\"operator\\\":\\\"geq\\\",\\\"value\\\":\\\"500\\\"}]}}\","
                + "\"max_upload_records\":5000,\"ownership_challenge\":\"ignored\"}");
        long id = job.get("id").asLong();
        assertThat(id).isPositive();
        assertThat(job.get("dataset").asString()).isEqualTo("http_requests");
        assertThat(job.get("name").asString()).isEqualTo("example-com");
        assertThat(job.get("enabled").asBoolean()).isFalse();
        assertThat(job.get("destination_conf").asString())
                .isEqualTo("https://logs.example.net/ingest?header_Authorization=*****&tag=edge");
        JsonNode options = job.get("output_options");
        assertThat(options.get("field_names").toString()).isEqualTo("[\"ClientIP\",\"EdgeStartTimestamp\",\"ZoneplaneConnectionKind\"]");
        assertThat(options.get("timestamp_format").asString()).isEqualTo("rfc3339");
        assertThat(options.get("sample_rate").asDouble()).isEqualTo(0.5);
        assertThat(options.get("output_type").asString()).isEqualTo("ndjson");
        assertThat(options.get("CVE-2021-44228").asBoolean()).isTrue();
        assertThat(job.get("filter").asString())
                .isEqualTo("{\"where\":{\"and\":[{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}]}}");
        assertThat(job.get("max_upload_records").asLong()).isEqualTo(5000);
        assertThat(job.get("max_upload_bytes").asLong()).isZero();
        assertThat(job.get("last_complete").isNull()).isTrue();
        assertThat(job.get("last_error").isNull()).isTrue();
        assertThat(job.get("error_message").isNull()).isTrue();

        assertThat(assertSuccess(editor.get(jobs() + "/" + id))).isEqualTo(job);
        assertThat(assertSuccess(editor.get(jobs())).findValuesAsString("name")).contains("example-com");
        assertThat(assertSuccess(editor.get("/zones/" + zone + "/logpush/datasets/http_requests/jobs")).get(0).get("id").asLong())
                .isEqualTo(id);

        JsonNode updated = assertSuccess(editor.put(jobs() + "/" + id, "{\"enabled\":true,\"filter\":null,"
                + "\"output_options\":{\"timestamp_format\":\"unix\"},\"max_upload_interval_seconds\":30}"));
        assertThat(updated.get("enabled").asBoolean()).isTrue();
        assertThat(updated.get("filter").isNull()).isTrue();
        assertThat(updated.get("output_options").get("timestamp_format").asString()).isEqualTo("unix");
        assertThat(updated.get("output_options").get("field_names").size()).as("omitted options keep their value").isEqualTo(3);
        assertThat(updated.get("max_upload_records").asLong()).isEqualTo(5000);
        assertThat(updated.get("max_upload_interval_seconds").asLong()).isEqualTo(30);

        assertThat(assertSuccess(editor.delete(jobs() + "/" + id)).get("id").asLong()).isEqualTo(id);
        assertFailure(editor.get(jobs() + "/" + id), 404, 9710);
        assertFailure(editor.delete(jobs() + "/" + id), 404, 9710);
        assertFailure(editor.get(jobs() + "/not-a-number"), 404, 9710);
    }

    @Test
    void aJobWithoutOutputOptionsGetsCloudflaresDefaultsAndLogpullOptionsAreRead() {
        JsonNode plain = create("{\"destination_conf\":\"https://logs.example.net/in\"}");
        assertThat(plain.get("name").isNull()).isTrue();
        assertThat(plain.get("output_options").get("timestamp_format").asString()).isEqualTo("unixnano");
        assertThat(plain.get("output_options").get("record_suffix").asString()).isEqualTo("}\n");
        assertThat(plain.get("output_options").get("field_names").size()).isEqualTo(HttpRequestsField.DEFAULT_FIELDS.size());
        JsonNode legacy = create("{\"destination_conf\":\"https://logs.example.net/in\",\"logpull_options\":\"fields=RayID,ClientIP&timestamps=rfc3339ms\"}");
        assertThat(legacy.get("output_options").get("field_names").toString()).isEqualTo("[\"RayID\",\"ClientIP\"]");
        assertThat(legacy.get("output_options").get("timestamp_format").asString()).isEqualTo("rfc3339ms");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"destination_conf\":\"ftp://logs.example.net/\"}|9712",
            "{\"destination_conf\":\"http://logs.example.net/\"}|9712",
            "{\"destination_conf\":\"https:///nohost\"}|9712",
            "{\"destination_conf\":\"https://logs.example.net/?header_Host=evil\"}|9712",
            "{\"destination_conf\":\"https://logs.example.net/?header_X-A=a%0d%0aInjected:1\"}|9712",
            "{\"destination_conf\":\"kafka://k1.example.net/logs\"}|9712",
            "{\"destination_conf\":\"kafka://k1.example.net:9092/bad topic\"}|9712",
            "{\"destination_conf\":\"kafka://k1.example.net:9092/logs?acks=0\"}|9712",
            "{\"destination_conf\":\"kafka://k1.example.net:9092/logs?sasl_mechanism=PLAIN&sasl_username=u\"}|9712",
            "{\"destination_conf\":\"https://127.0.0.1/ingest\"}|9713",
            "{\"destination_conf\":\"https://[::1]:8443/ingest\"}|9713",
            "{\"destination_conf\":\"https://0x7f.1/ingest\"}|9713",
            "{\"destination_conf\":\"https://10.1.2.3/ingest\"}|9713",
            "{\"destination_conf\":\"https://logs.localhost/ingest\"}|9713",
            "{\"destination_conf\":\"https://169.254.169.254/latest\"}|9713",
            "{\"destination_conf\":\"kafka://k1.example.net:9092,192.168.1.4:9092/logs\"}|9713",
            "{}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"dataset\":\"firewall_events\"}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"colour\":\"blue\"}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"name\":\"under_score\"}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"field_names\":[\"BotScore\"]}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"field_names\":[\"RayID\",\"RayID\"]}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"field_names\":[]}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"timestamp_format\":\"iso\"}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"output_type\":\"csv\"}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"sample_rate\":1.5}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"output_options\":{\"record_template\":\"x\"}}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"filter\":\"{\\\"where\\\":{\\\"key\\\":\\\"BotScore\\\",\\\"operator\\\":\\\"lt\\\",\\\"value\\\":30}}\"}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"filter\":\"{\\\"where\\\":{\\\"key\\\":\\\"ClientIP\\\",\\\"operator\\\":\\\"like\\\",\\\"value\\\":\\\"1\\\"}}\"}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"filter\":\"not json\"}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"max_upload_bytes\":1000}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"max_upload_records\":10}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"max_upload_interval_seconds\":301}|1003",
            "{\"destination_conf\":\"https://logs.example.net/\",\"filter_attack_traffic\":true}|1003"})
    void invalidJobsAreRefusedWithTheirCodeAndNothingIsStored(String body, int code) {
        assertFailure(editor.post(jobs(), body), 400, code);
        assertThat(assertSuccess(editor.get(jobs())).size()).isZero();
    }

    @Test
    void theValidationEndpointsAnswerValidOrTheErrorAJobWouldGet() {
        JsonNode good = assertSuccess(editor.post("/zones/" + zone + "/logpush/validate/destination",
                "{\"destination_conf\":\"kafka://k1.example.net:9092,k2.example.net:9093/logs?tls=true&sasl_mechanism=SCRAM-SHA-512"
                        + "&sasl_username=edge&sasl_password=pw&compression=zstd\"}"));
        assertThat(good.get("valid").asBoolean()).isTrue();
        assertThat(good.get("message").asString()).isEmpty();
        ApiClient.Response prohibited = editor.post("/zones/" + zone + "/logpush/validate/destination",
                "{\"destination_conf\":\"https://127.0.0.1:9/\"}");
        assertFailure(prohibited, 400, 9713);
        assertThat(prohibited.json().get("errors").get(0).get("message").asString()).contains("prohibited IP (loopback");
        assertFailure(editor.post("/zones/" + zone + "/logpush/validate/destination", "{\"destination_conf\":\"ftp://a.example/\"}"), 400, 9712);
        JsonNode options = assertSuccess(editor.post("/zones/" + zone + "/logpush/validate/origin",
                "{\"logpull_options\":\"fields=RayID,EdgeStartTimestamp&timestamps=rfc3339\"}"));
        assertThat(options.get("valid").asBoolean()).isTrue();
        ApiClient.Response badOptions = editor.post("/zones/" + zone + "/logpush/validate/origin",
                "{\"logpull_options\":\"fields=RayID,BotScore\"}");
        assertFailure(badOptions, 400, 1003);
        assertThat(badOptions.json().get("errors").get(0).get("message").asString()).contains("BotScore");
    }

    @Test
    void theFieldListHasEveryFieldOfTheDatasetWithItsDescription() {
        JsonNode fields = assertSuccess(editor.get("/zones/" + zone + "/logpush/datasets/http_requests/fields"));
        assertThat(fields.propertyNames()).containsExactlyElementsOf(
                java.util.Arrays.stream(HttpRequestsField.values()).map(HttpRequestsField::fieldName).toList());
        assertThat(fields.get("ZoneplaneConnectionKind").asString()).contains("websocket");
        assertFailure(editor.get("/zones/" + zone + "/logpush/datasets/firewall_events/fields"), 404, 9711);
        assertFailure(editor.get("/zones/" + zone + "/logpush/datasets/dns_logs/jobs"), 404, 9711);
    }

    @Test
    void aZoneHasAtMostTheOperatorsNumberOfJobs() {
        for (int i = 0; i < 4; i++) {
            create("{\"destination_conf\":\"https://logs.example.net/" + i + "\"}");
        }
        assertFailure(editor.post(jobs(), "{\"destination_conf\":\"https://logs.example.net/5\"}"), 400, 9714);
    }

    @Test
    void readingNeedsLogsReadChangingNeedsLogsEditAndOtherTenantsSeeNothing() {
        SecurityFixtures tokens = new SecurityFixtures(api(), jdbc);
        long id = create("{\"destination_conf\":\"https://logs.example.net/in\"}").get("id").asLong();
        String job = jobs() + "/" + id;
        ApiClient zoneReader = anonymous().withToken(tokens.token(account, "zone:edit", "zone_settings:edit").value());
        assertFailure(zoneReader.get(jobs()), 403, 10000);
        ApiClient logReader = anonymous().withToken(tokens.token(account, "logs:read").value());
        assertSuccess(logReader.get(job));
        assertSuccess(logReader.get("/zones/" + zone + "/logpush/datasets/http_requests/fields"));
        assertFailure(logReader.post(jobs(), "{\"destination_conf\":\"https://logs.example.net/in\"}"), 403, 10000);
        assertFailure(logReader.put(job, "{\"enabled\":true}"), 403, 10000);
        assertFailure(logReader.delete(job), 403, 10000);
        assertFailure(logReader.post("/zones/" + zone + "/logpush/validate/destination", "{\"destination_conf\":\"https://a.example/\"}"), 403, 10000);

        Fixtures fixtures = new Fixtures(api());
        String other = fixtures.account();
        String otherZone = fixtures.zone(other, Fixtures.uniqueName(), "free").get("id").asString();
        ApiClient stranger = anonymous().withToken(tokens.token(other, "logs:edit").value());
        for (ApiClient.Response refused : List.of(stranger.get(jobs()), stranger.get(job), stranger.put(job, "{\"enabled\":true}"),
                stranger.delete(job), stranger.post(jobs(), "{\"destination_conf\":\"https://logs.example.net/in\"}"),
                stranger.get("/zones/" + zone + "/logpush/datasets/http_requests/fields"))) {
            assertFailure(refused, 404, 1001);
        }
        // the stranger's own zone does not reach this zone's job either
        assertFailure(stranger.get("/zones/" + otherZone + "/logpush/jobs/" + id), 404, 9710);
        String sibling = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();
        ApiClient limited = anonymous().withToken(tokens.token(account, List.of("logs:edit"), List.of(sibling)).value());
        assertFailure(limited.get(job), 404, 1001);
        assertFailure(limited.get("/zones/" + sibling + "/logpush/jobs/" + id), 404, 9710);
        assertThat(assertSuccess(editor.get(job)).get("enabled").asBoolean()).as("nothing refused changed the job").isFalse();
    }

    @Test
    void secretsAreNeverShownBackAndAMaskedDestinationSentBackKeepsThem() {
        String kafka = "kafka://k1.example.net:9092/logs?tls=true&sasl_mechanism=PLAIN&sasl_username=edge&sasl_password=" + SECRET;
        JsonNode job = create("{\"destination_conf\":\"" + kafka + "\",\"enabled\":true}");
        long id = job.get("id").asLong();
        String shown = job.get("destination_conf").asString();
        assertThat(shown).isEqualTo("kafka://k1.example.net:9092/logs?tls=true&sasl_mechanism=PLAIN&sasl_username=edge&sasl_password=*****");
        JsonNode userinfo = create("{\"destination_conf\":\"https://edge:" + SECRET + "@logs.example.net/in?api_key=" + SECRET + "\"}");
        assertThat(userinfo.get("destination_conf").asString()).isEqualTo("https://edge:*****@logs.example.net/in?api_key=*****");

        // an SDK that reads the job and writes it back sends the masked text: the secret stays
        assertSuccess(editor.put(jobs() + "/" + id, "{\"destination_conf\":\"" + shown + "\",\"name\":\"renamed\"}"));
        assertThat(feedJob(id).destinationConf()).isEqualTo(kafka);
        // but a changed destination that still holds the mask is refused rather than stored as the secret
        assertFailure(editor.put(jobs() + "/" + id, "{\"destination_conf\":\"" + shown.replace("k1.", "k2.") + "\"}"), 400, 1003);

        String everything = editor.get(jobs()).body() + api().get("/accounts/" + account + "/audit_logs?zone_id=" + zone).body();
        assertThat(everything).doesNotContain(SECRET);
    }

    @Test
    void everyChangeIsAuditedWithTheDestinationMasked() {
        long id = create("{\"destination_conf\":\"" + DESTINATION + "\"}").get("id").asLong();
        assertSuccess(editor.put(jobs() + "/" + id, "{\"enabled\":true}"));
        assertSuccess(editor.put(jobs() + "/" + id, "{\"enabled\":true}")); // no change: no row
        assertSuccess(editor.delete(jobs() + "/" + id));
        JsonNode rows = assertSuccess(api().get("/accounts/" + account + "/audit_logs?zone_id=" + zone));
        assertThat(rows.findValuesAsString("action")).containsExactly("logpush_job_deleted", "logpush_job_edited", "logpush_job_created",
                "zone_created");
        JsonNode edited = rows.get(1);
        assertThat(edited.get("old_value").get("enabled").asBoolean()).isFalse();
        assertThat(edited.get("new_value").get("enabled").asBoolean()).isTrue();
        assertThat(edited.get("new_value").get("destination_conf").asString()).contains("header_Authorization=*****");
        assertThat(edited.get("actor").get("type").asString()).isEqualTo("token");
        assertThat(rows.get(0).get("new_value").isNull()).isTrue();
        assertThat(rows.toString()).doesNotContain(SECRET);
    }

    @Test
    void nodesReadEveryEnabledJobWithItsSecretsAndPollCheaplyWithTheirETag() {
        assertThat(anonymous().get(LogpushFeedController.JOBS_PATH).status()).isEqualTo(401);
        assertThat(editor.get(LogpushFeedController.JOBS_PATH).status()).as("an API token is not a node token").isEqualTo(401);
        long disabled = create("{\"destination_conf\":\"https://logs.example.net/off\"}").get("id").asLong();
        long enabled = create("{\"destination_conf\":\"" + DESTINATION + "\",\"enabled\":true,\"filter\":\"{\\\"where\\\":{\\\"key\\\":"
                + "\\\"ClientCountry\\\",\\\"operator\\\":\\\"in\\\",\\\"value\\\":[\\\"ca\\\",\\\"us\\\"]}}\"}").get("id").asLong();
        ApiClient.Response feed = node().get(LogpushFeedController.JOBS_PATH);
        assertThat(feed.status()).isEqualTo(200);
        LogpushJobs jobs = LogpushJobs.fromJson(feed.body());
        assertThat(jobs.jobs()).extracting(LogpushJobs.Job::id).contains(enabled).doesNotContain(disabled);
        LogpushJobs.Job job = feedJob(enabled);
        assertThat(job.zoneId()).isEqualTo(zone);
        assertThat(job.destinationConf()).isEqualTo(DESTINATION);
        assertThat(job.filter().toJson()).contains("\"operator\":\"in\"");
        String etag = feed.header("ETag").orElseThrow();

        ApiClient.Response unchanged = node().withHeader("If-None-Match", etag).get(LogpushFeedController.JOBS_PATH);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.header("ETag")).contains(etag);

        assertSuccess(editor.put(jobs() + "/" + disabled, "{\"enabled\":true}"));
        ApiClient.Response changed = node().withHeader("If-None-Match", etag).get(LogpushFeedController.JOBS_PATH);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(LogpushJobs.fromJson(changed.body()).jobs()).extracting(LogpushJobs.Job::id).contains(enabled, disabled);
    }

    @Test
    void nodeReportsMakeTheStatusFieldsTheMergedTruthAcrossNodes() {
        long id = create("{\"destination_conf\":\"https://logs.example.net/in\",\"enabled\":true}").get("id").asLong();
        String job = jobs() + "/" + id;
        String run1 = "2026-12-07T14:00:00Z";
        assertSuccess(report("edge-a", run1, id, "\"2026-12-07T14:05:00Z\"", "null", "null", 100, 0, 0));
        assertSuccess(report("edge-b", run1, id, "\"2026-12-07T14:04:00Z\"", "\"2026-12-07T14:06:00Z\"", "\"503 from destination\"", 40, 7, 2));
        JsonNode status = assertSuccess(editor.get(job));
        assertThat(status.get("last_complete").asString()).isEqualTo("2026-12-07T14:05:00.000000Z");
        assertThat(status.get("last_error").asString()).isEqualTo("2026-12-07T14:06:00.000000Z");
        assertThat(status.get("error_message").asString()).isEqualTo("node edge-b: 503 from destination");
        assertThat(status.get("zoneplane_delivery").get("records_delivered").asLong()).isEqualTo(140);
        assertThat(status.get("zoneplane_delivery").get("records_dropped").asLong()).isEqualTo(7);
        assertThat(status.get("zoneplane_delivery").get("duplicates_retried").asLong()).isEqualTo(2);
        assertThat(status.get("zoneplane_delivery").get("nodes").findValuesAsString("node_id")).containsExactly("edge-a", "edge-b");

        // edge-b recovers; its report is retried (totals, not increments: nothing counts twice)
        for (int i = 0; i < 2; i++) {
            assertSuccess(report("edge-b", run1, id, "\"2026-12-07T14:07:00Z\"", "null", "null", 60, 7, 2));
        }
        status = assertSuccess(editor.get(job));
        assertThat(status.get("last_error").isNull()).isTrue();
        assertThat(status.get("error_message").isNull()).isTrue();
        assertThat(status.get("last_complete").asString()).isEqualTo("2026-12-07T14:07:00.000000Z");
        assertThat(status.get("zoneplane_delivery").get("records_delivered").asLong()).isEqualTo(160);

        // edge-a restarts: its earlier run still counts; a late report of the earlier run changes nothing
        assertSuccess(report("edge-a", "2026-12-07T15:00:00Z", id, "\"2026-12-07T15:01:00Z\"", "null", "null", 5, 0, 0));
        assertSuccess(report("edge-a", run1, id, "\"2026-12-07T14:08:00Z\"", "null", "null", 999, 0, 0));
        status = assertSuccess(editor.get(job));
        assertThat(status.get("zoneplane_delivery").get("records_delivered").asLong()).isEqualTo(100 + 5 + 60);
        assertThat(status.get("last_complete").asString()).isEqualTo("2026-12-07T15:01:00.000000Z");
    }

    @Test
    void reportsOfUnknownJobsAreIgnoredAndMalformedReportsRefused() {
        long id = create("{\"destination_conf\":\"https://logs.example.net/in\"}").get("id").asLong();
        JsonNode result = assertSuccess(node().put("/internal/v1/nodes/edge-x/logpush", "{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":["
                + "{\"job_id\":" + id + ",\"records_delivered\":1},{\"job_id\":999999999999,\"records_delivered\":1}]}"));
        assertThat(result.get("recorded").asInt()).isEqualTo(1);
        assertThat(result.get("ignored").asInt()).isEqualTo(1);
        assertFailure(node().put("/internal/v1/nodes/edge-x/logpush", "{\"jobs\":[]}"), 400, 1003);
        assertFailure(node().put("/internal/v1/nodes/edge-x/logpush", "{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":[{\"job_id\":1,"
                + "\"records_delivered\":-5}]}"), 400, 1003);
        assertFailure(node().put("/internal/v1/nodes/bad%20node/logpush", "{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":[]}"), 400, 1003);
        assertThat(anonymous().put("/internal/v1/nodes/edge-x/logpush", "{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":[]}").status())
                .isEqualTo(401);
    }

    private ApiClient.Response report(String node, String startedOn, long job, String complete, String error, String message,
            long delivered, long dropped, long duplicates) {
        return node().put("/internal/v1/nodes/" + node + "/logpush", "{\"started_on\":\"" + startedOn + "\",\"jobs\":[{\"job_id\":" + job
                + ",\"last_complete\":" + complete + ",\"last_error\":" + error + ",\"error_message\":" + message
                + ",\"records_delivered\":" + delivered + ",\"records_dropped\":" + dropped + ",\"duplicates_retried\":" + duplicates + "}]}");
    }

    private LogpushJobs.Job feedJob(long id) {
        return LogpushJobs.fromJson(node().get(LogpushFeedController.JOBS_PATH).body()).jobs().stream()
                .filter(j -> j.id() == id).findFirst().orElseThrow();
    }
}
