package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/**
 * A zone's Logs page in a real browser against the real Logpush job API: a job created through
 * the form exists with exactly what was chosen, its secret never reaches the page, pausing and
 * resuming reach the API, a node's delivery report shows in the table, edits keep the secret, the
 * API's refusals are shown in its own words, and tokens see the page as their permissions allow.
 */
class DashboardLogsTest extends BrowserTestBase {

    private static final String SECRET = "s3cr3t-bearer-5d2e";
    private static final String DESTINATION = "https://logs.example.net/ingest?header_Authorization=Bearer%20" + SECRET + "&tag=edge";
    private static final String MASKED = "https://logs.example.net/ingest?header_Authorization=*****&tag=edge";
    private static final String FILTER = "{\"where\":{\"and\":[{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}]}}";

    private final Fixtures fixtures = new Fixtures(api());

    @Test
    void aJobMadeOnThePageIsExactlyWhatWasChosenAndItsStatusPauseEditAndDeleteWork() {
        String zone = fixtures.zone(fixtures.account(), Fixtures.uniqueName(), "free").get("id").asString();
        console.openZone(zone);
        console.driver().findElement(By.id("zone-logs-link")).click();
        console.waitFor(By.cssSelector("#create-job > summary")).click();
        assertThat(console.waitFor(By.id("logs-empty")).getText()).isEqualTo("This zone has no Logpush jobs.");
        // the picker lists the dataset's fields with the API's descriptions
        assertThat(console.driver().findElement(By.id("job-field-ZoneplaneConnectionKind-help")).getText()).contains("websocket");

        type("job-name", "edge-logs");
        type("job-destination", DESTINATION);
        console.driver().findElement(By.id("job-destination-check")).click();
        assertThat(console.waitFor(By.id("job-destination-valid")).getText()).isEqualTo("The destination is valid.");
        for (String field : List.of("ClientIP", "RayID", "EdgeResponseStatus", "ZoneplaneConnectionKind")) {
            console.driver().findElement(By.id("job-field-" + field)).click();
        }
        new Select(console.driver().findElement(By.id("job-timestamp-format"))).selectByValue("rfc3339ms");
        type("job-sample-rate", "0.25");
        type("job-max-records", "5000");
        type("job-filter", FILTER);
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("logs-create-form");
        console.driver().findElement(By.id("job-submit")).click();

        WebElement row = console.waitFor(By.cssSelector("#logs-table tbody tr"));
        JsonNode job = onlyJob(zone);
        long id = job.get("id").asLong();
        assertThat(row.getAttribute("data-job")).isEqualTo(String.valueOf(id));
        assertThat(job.get("name").asString()).isEqualTo("edge-logs");
        assertThat(job.get("enabled").asBoolean()).isTrue();
        JsonNode options = job.get("output_options");
        assertThat(options.get("field_names").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("ClientIP", "RayID", "EdgeResponseStatus", "ZoneplaneConnectionKind");
        assertThat(options.get("timestamp_format").asString()).isEqualTo("rfc3339ms");
        assertThat(options.get("sample_rate").asDouble()).isEqualTo(0.25);
        assertThat(options.get("CVE-2021-44228").asBoolean()).isFalse();
        assertThat(job.get("filter").asString()).isEqualTo(FILTER);
        assertThat(job.get("max_upload_records").asLong()).isEqualTo(5000);
        assertThat(job.get("max_upload_bytes").asLong()).isZero();
        assertThat(job.get("max_upload_interval_seconds").asLong()).isZero();
        assertThat(feedDestination(id)).as("the node feed holds the secret in full").isEqualTo(DESTINATION);

        assertThat(cell(id, "destination")).isEqualTo(MASKED);
        assertThat(cell(id, "state")).isEqualTo("Enabled");
        assertThat(cell(id, "last-complete")).isEqualTo("Never");
        assertThat(cell(id, "last-error")).isEqualTo("None");
        assertThat(console.driver().getPageSource()).doesNotContain(SECRET);
        assertThat(console.driver().findElement(By.id("logs-status")).getText()).isEqualTo("Job “edge-logs” created.");

        // pause: the API says disabled, the nodes' feed drops it
        console.driver().findElement(By.id("job-toggle-" + id)).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.attributeToBe(rowBy(id), "data-enabled", "false"));
        assertThat(onlyJob(zone).get("enabled").asBoolean()).isFalse();
        assertThat(cell(id, "state")).isEqualTo("Paused");
        assertThat(console.driver().findElement(By.id("job-toggle-" + id)).getText()).isEqualTo("Resume");

        // a node reports a delivered batch and a failure since: the page shows both and the counters
        Envelopes.assertSuccess(anonymous().withToken(NODE_TOKEN).put("/internal/v1/nodes/edge-1/logpush",
                "{\"started_on\":\"2026-12-07T14:00:00Z\",\"jobs\":[{\"job_id\":" + id + ",\"last_complete\":\"2026-12-07T14:05:00Z\","
                        + "\"last_error\":\"2026-12-07T14:06:00Z\",\"error_message\":\"HTTP 503 from the destination\","
                        + "\"records_delivered\":1200,\"records_dropped\":3,\"duplicates_retried\":7}]}"));
        console.driver().findElement(By.id("logs-refresh")).click();
        browser.waitUpTo(Console.WAIT).until(d -> cell(id, "last-error").contains("node edge-1: HTTP 503 from the destination"));
        assertThat(time(id, "last-complete")).isEqualTo("2026-12-07T14:05:00.000000Z");
        assertThat(time(id, "last-error")).isEqualTo("2026-12-07T14:06:00.000000Z");
        assertThat(cell(id, "delivery")).isEqualTo("1,200 · 3 · 7");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("logs-jobs");

        // edit: the destination comes back masked and, left so, keeps its secret
        console.driver().findElement(By.id("job-edit-" + id)).click();
        assertThat(console.waitFor(By.id("job-destination")).getAttribute("value")).isEqualTo(MASKED);
        assertThat(console.driver().findElement(By.id("job-field-RayID")).isSelected()).isTrue();
        console.driver().findElement(By.id("job-field-RayID")).click();
        console.driver().findElement(By.id("job-enabled")).click();
        console.driver().findElement(By.id("job-submit")).click();
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("logs-status"), "Job “edge-logs” saved."));
        job = onlyJob(zone);
        assertThat(job.get("enabled").asBoolean()).as("resumed through the form").isTrue();
        assertThat(job.get("output_options").get("field_names").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("ClientIP", "EdgeResponseStatus", "ZoneplaneConnectionKind");
        assertThat(job.get("filter").asString()).isEqualTo(FILTER);
        assertThat(feedDestination(id)).isEqualTo(DESTINATION);
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.attributeToBe(rowBy(id), "data-enabled", "true"));
        assertThat(console.driver().getPageSource()).doesNotContain(SECRET);

        // delete, after a confirmation
        console.driver().findElement(By.id("job-delete-" + id)).click();
        console.waitFor(By.id("delete-job-dialog-confirm")).click();
        console.waitFor(By.id("logs-empty"));
        assertThat(Envelopes.assertSuccess(api().get("/zones/" + zone + "/logpush/jobs")).size()).isZero();
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void theApisRefusalsAreShownInItsOwnWordsAndNothingIsSaved() {
        String zone = fixtures.zoneId("free");
        console.open("/zones/" + zone + "/logs");
        console.waitFor(By.cssSelector("#create-job > summary")).click();
        type("job-destination", "ftp://logs.example.net/in");
        console.waitFor(By.id("job-field-ClientIP")).click();
        console.driver().findElement(By.id("job-submit")).click();
        assertThat(console.waitFor(By.id("job-destination-invalid")).getText()).isEqualTo(
                "Destination refused: destination_conf must start with https:// or kafka:// (Zoneplane delivers to HTTP endpoints and Kafka)");

        // a valid destination, no field chosen: the job API's own refusal
        type("job-destination", "https://logs.example.net/in");
        console.driver().findElement(By.id("job-field-ClientIP")).click();
        console.driver().findElement(By.id("job-submit")).click();
        assertThat(console.waitFor(By.id("job-error-message")).getText())
                .isEqualTo("Not saved: output_options.field_names must be a non-empty array of field names");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("logs-refused");
        assertThat(Envelopes.assertSuccess(api().get("/zones/" + zone + "/logpush/jobs")).size()).isZero();
        // the two refused calls are the browser's only complaints
        assertThat(console.consoleErrors()).hasSize(2).allSatisfy(e -> assertThat(e).contains("400"));
    }

    @Test
    void aLogsReadTokenMadeOnTheTokensPageSeesJobsWithoutEditControlsAndOneWithoutItNoLogsPage() {
        String account = fixtures.account();
        String zone = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();
        Envelopes.assertSuccess(api().post("/zones/" + zone + "/logpush/jobs",
                "{\"name\":\"existing\",\"destination_conf\":\"" + DESTINATION + "\",\"enabled\":true}"));

        console.open("/tokens?account_id=" + account);
        console.waitFor(By.cssSelector("#create-token > summary")).click();
        assertThat(console.waitFor(By.cssSelector("label[for=perm-logs-edit]")).getText())
                .isEqualTo("Create, change and delete Logpush jobs (logs:edit)");
        assertThat(console.driver().findElement(By.cssSelector("label[for=perm-analytics-read]")).getText()).endsWith("(analytics:read)");
        type("new-token-name", "log-reader");
        console.driver().findElement(By.id("perm-zone-read")).click();
        console.driver().findElement(By.id("perm-logs-read")).click();
        console.driver().findElement(By.id("new-token-submit")).click();
        String reader = console.waitFor(By.id("token-secret")).getAttribute("value");
        JsonNode listed = Envelopes.assertSuccess(api().get("/accounts/" + account + "/tokens")).get(0);
        assertThat(listed.get("permissions").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("zone:read", "logs:read");

        console.signIn(reader);
        console.open("/zones/" + zone + "/logs");
        WebElement row = console.waitFor(By.cssSelector("#logs-table tbody tr"));
        assertThat(row.findElement(By.cssSelector("[data-cell=destination]")).getText()).isEqualTo(MASKED);
        assertThat(console.waitFor(By.id("logs-read-only")).getText()).contains("logs:edit");
        assertThat(console.driver().findElements(By.id("create-job"))).isEmpty();
        assertThat(console.driver().findElements(By.cssSelector("#logs-table button"))).isEmpty();
        assertThat(console.driver().findElements(By.cssSelector("#logs-table th")).stream().map(WebElement::getText))
                .doesNotContain("Actions");
        assertThat(console.driver().getPageSource()).doesNotContain(SECRET);
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("logs-read-only");
        assertThat(console.consoleErrors()).isEmpty();

        String settingsOnly = Envelopes.assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"settings\",\"permissions\":[\"zone:read\",\"zone_settings:read\"]}")).get("value").asString();
        console.signIn(settingsOnly);
        console.openZone(zone);
        assertThat(console.driver().findElement(By.id("zone-traffic-link")).isDisplayed()).isTrue();
        assertThat(console.driver().findElements(By.id("zone-logs-link"))).isEmpty();
        console.open("/zones/" + zone + "/logs");
        assertThat(console.waitFor(By.id("logs-forbidden")).getText())
                .isEqualTo("This API token may not read Logpush jobs: it needs the logs:read permission.");
        assertThat(console.driver().findElements(By.id("logs-table"))).isEmpty();
        assertThat(console.consoleErrors()).isEmpty();
    }

    private void type(String id, String text) {
        WebElement input = console.waitFor(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private static JsonNode onlyJob(String zone) {
        JsonNode jobs = Envelopes.assertSuccess(api().get("/zones/" + zone + "/logpush/jobs"));
        assertThat(jobs.size()).isEqualTo(1);
        return jobs.get(0);
    }

    /** The destination the edge nodes are given for an enabled job: in full. */
    private static String feedDestination(long id) {
        ApiClient.Response feed = anonymous().withToken(NODE_TOKEN).get("/internal/v1/logpush/jobs");
        assertThat(feed.status()).isEqualTo(200);
        return LogpushJobs.fromJson(feed.body()).jobs().stream().filter(j -> j.id() == id).findFirst().orElseThrow()
                .destinationConf();
    }

    private static By rowBy(long id) {
        return By.cssSelector("#logs-table tr[data-job='" + id + "']");
    }

    /** A cell's text, read in one script call (the table is redrawn on refresh: no element kept across calls). */
    private String cell(long id, String name) {
        return (String) console.driver().executeScript("const c = document.querySelector("
                + "`#logs-table tr[data-job='${arguments[0]}'] [data-cell=${arguments[1]}]`); return c ? c.innerText : '';",
                String.valueOf(id), name);
    }

    private String time(long id, String name) {
        return (String) console.driver().executeScript("const t = document.querySelector("
                + "`#logs-table tr[data-job='${arguments[0]}'] [data-cell=${arguments[1]}] time`); return t ? t.dateTime : '';",
                String.valueOf(id), name);
    }
}
