package zoneplane.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.controlplane.analytics.UsageClient.group;
import static zoneplane.controlplane.analytics.UsageClient.minute;
import static zoneplane.controlplane.analytics.UsageClient.visitors;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import zoneplane.controlplane.analytics.UsageClient;
import zoneplane.model.wire.UsageReport;
import zoneplane.model.wire.UsageReport.WebSocketMinute;
import zoneplane.model.wire.UsageReport.ZoneMinute;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/**
 * A zone's Traffic page in a real browser: usage reports two nodes post to the real ingest endpoint
 * (gzip, node token) come back through the GraphQL Analytics API into the page's data tables with
 * exact numbers, and into Chart.js charts holding the same datasets.
 */
class DashboardTrafficTest extends BrowserTestBase {

    private final Fixtures fixtures = new Fixtures(api());

    /** Two minutes of traffic a few minutes ago, from two nodes, with WebSockets in the later one. */
    private String zoneWithTraffic(String account) {
        String zone = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();
        Instant later = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.MINUTES);
        Instant earlier = later.minus(1, ChronoUnit.MINUTES);
        UsageClient usage = new UsageClient(port, NODE_TOKEN);
        post(usage, "edge-1", minute(zone, later, visitors("192.0.2.1"), new WebSocketMinute(2, 0, 0, 2, 120, 2, 500, 40),
                        group("US", 200, "HTTP/1.1", "TLSv1.3", 10, 1000), group("DE", 404, "HTTP/2", "none", 2, 50),
                        group("US", 503, "HTTP/2", "TLSv1.3", 1, 20)),
                minute(zone, earlier, visitors("192.0.2.1"), WebSocketMinute.NONE, group("US", 301, "HTTP/1.1", "none", 3, 300)));
        post(usage, "edge-2", minute(zone, later, visitors("192.0.2.2"), new WebSocketMinute(1, 0, 1, 1, 30, 1, 100, 10),
                group("FR", 200, "HTTP/1.1", "TLSv1.2", 5, 700)));
        return zone;
    }

    private static void post(UsageClient usage, String node, ZoneMinute... minutes) {
        UsageClient.Answer answer = usage.post(node, new UsageReport(node, List.of(minutes)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("result").get("stored").asInt()).isEqualTo(minutes.length);
    }

    @Test
    void tablesShowExactlyWhatTheNodesPostedAndTheChartsDrawTheSameNumbers() {
        String zone = zoneWithTraffic(fixtures.account());

        console.open("/zones/" + zone);
        console.waitFor(By.id("zone-traffic-link")).click();
        console.waitFor(By.id("table-requests"));
        assertThat(console.driver().getCurrentUrl()).endsWith("#/zones/" + zone + "/traffic");

        // the earlier minute first; numbers summed over both nodes
        assertThat(rows("requests")).containsExactly(List.of("3", "300"), List.of("18", "1770"));
        assertThat(total("requests")).containsExactly("21", "2070");
        assertThat(rowsWithNames("status")).containsExactly(
                List.of("2xx", "15"), List.of("3xx", "3"), List.of("4xx", "2"), List.of("5xx", "1"));
        assertThat(rowsWithNames("countries")).containsExactly(
                List.of("US", "14", "1320"), List.of("FR", "5", "700"), List.of("DE", "2", "50"));
        assertThat(rowsWithNames("protocols")).containsExactly(List.of("HTTP/1.1", "18"), List.of("HTTP/2", "3"));
        // peak concurrency is summed over the nodes (2 + 1); billable minutes and opened connections add up
        assertThat(rows("websockets")).containsExactly(List.of("3", "3", "3"));
        assertThat(total("websockets")).containsExactly("3", "3", "3");
        assertThat(console.driver().findElement(By.id("traffic-summary")).getText())
                .isEqualTo("Last 30 minutes: 21 requests, 2,070 bytes to visitors, 3 billable WebSocket minutes.");
        assertThat(console.driver().findElement(By.id("traffic-volume")).getAttribute("data-exceeded")).isEqualTo("false");

        assertThat(chartSums("requests")).containsExactly("Requests=21 over 30", "Bandwidth (bytes)=2070 over 30");
        assertThat(chartSums("status")).containsExactly("Requests=21 over 4");
        assertThat(chartSums("countries")).containsExactly("Requests=21 over 3");
        assertThat(chartSums("protocols")).containsExactly("Requests=21 over 2");
        assertThat(chartSums("websockets")).containsExactly("Peak concurrent connections=3 over 30", "Billable minutes=3 over 30");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("traffic-30m");

        // 24 hours: the 1-minute groups in 15-minute buckets; the totals stay exact
        new Select(console.driver().findElement(By.id("traffic-range"))).selectByValue("24h");
        browser.waitUpTo(Console.WAIT).until(d -> d.getCurrentUrl().endsWith("/traffic?range=24h"));
        browser.waitUpTo(Console.WAIT).until(d -> chartSums("requests").size() == 2
                && chartSums("requests").get(0).endsWith(" over 96"));
        assertThat(total("requests")).containsExactly("21", "2070");
        assertThat(total("websockets")).containsExactly("3", "3", "3");
        assertThat(console.driver().findElement(By.id("traffic-summary")).getText()).startsWith("Last 24 hours: 21 requests");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("traffic-24h");

        // phone width: charts shrink to the screen, wide tables scroll inside their own box
        browser.resize(390, 844);
        browser.waitUpTo(Console.WAIT).until(d -> console.fitsWidth());
        assertThat(chartSums("requests")).hasSize(2);
        browser.screenshot("traffic-phone");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void aRangeWithoutTrafficSaysSo() {
        String zone = fixtures.zoneId("free");
        console.open("/zones/" + zone + "/traffic?range=7d");
        assertThat(console.waitFor(By.id("traffic-empty")).getText()).isEqualTo("No traffic in this range (last 7 days).");
        assertThat(console.driver().findElements(By.tagName("canvas"))).isEmpty();
        assertThat(console.driver().findElement(By.id("traffic-range")).getAttribute("value")).isEqualTo("7d");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("traffic-empty");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void aZoneAboveItsPlansWebSocketVolumeForMostOfTheHourIsFlagged() {
        String zone = fixtures.zoneId("free");
        // the free plan expects 100 concurrent connections; 150 in 31 of the last 60 minutes is sustained
        Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(35, ChronoUnit.MINUTES);
        List<ZoneMinute> minutes = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            minutes.add(minute(zone, first.plus(i, ChronoUnit.MINUTES), visitors("192.0.2.9"),
                    new WebSocketMinute(0, 0, 0, 150, 150 * 60, 150, 0, 0)));
        }
        post(new UsageClient(port, NODE_TOKEN), "edge-1", minutes.toArray(ZoneMinute[]::new));

        console.open("/zones/" + zone + "/traffic?range=6h");
        WebElement flag = console.waitFor(By.id("traffic-volume"));
        assertThat(flag.getAttribute("data-exceeded")).isEqualTo("true");
        assertThat(flag.getText()).startsWith("Above the plan’s WebSocket volume.")
                .contains("peak in the last hour: 150", "for 31 minutes", "up to 100 concurrent WebSocket connections (low volume)");
        console.waitFor(By.id("table-websockets"));
        assertThat(total("websockets")).containsExactly("150", "4650", "0");
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("traffic-volume-exceeded");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void aTokenWithoutAnalyticsReadIsToldSoAndAZoneScopedOneSeesItsZone() {
        String account = fixtures.account();
        String zone = zoneWithTraffic(account);

        console.signIn(token(account, "[\"zone:read\"]", null));
        console.open("/zones/" + zone + "/traffic");
        assertThat(console.waitFor(By.id("traffic-forbidden")).getText())
                .isEqualTo("This API token may not read traffic analytics: it needs the analytics:read permission.");
        assertThat(Accessibility.violations(console.driver())).isEmpty();

        console.signIn(token(account, "[\"analytics:read\",\"zone:read\"]", "[\"" + zone + "\"]"));
        console.open("/zones/" + zone + "/traffic");
        console.waitFor(By.id("table-requests"));
        assertThat(total("requests")).containsExactly("21", "2070");
        assertThat(console.waitFor(By.id("traffic-heading")).getText()).startsWith("Traffic · ");
        assertThat(console.consoleErrors()).isEmpty();
    }

    private static String token(String account, String permissions, String zones) {
        ApiClient.Response created = api().post("/accounts/" + account + "/tokens", "{\"name\":\"traffic\",\"permissions\":"
                + permissions + (zones == null ? "" : ",\"zones\":" + zones) + "}");
        return Envelopes.assertSuccess(created).get("value").asString();
    }

    /** The number cells of each body row of a chart's table, digits only (the page groups thousands). */
    private List<List<String>> rows(String chart) {
        return console.driver().findElements(By.cssSelector("#table-" + chart + " tbody tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).map(DashboardTrafficTest::digits)
                        .toList())
                .toList();
    }

    /** Each body row's heading cell and its number cells. */
    private List<List<String>> rowsWithNames(String chart) {
        return console.driver().findElements(By.cssSelector("#table-" + chart + " tbody tr")).stream()
                .map(row -> {
                    List<String> cells = new ArrayList<>(List.of(row.findElement(By.tagName("th")).getText()));
                    row.findElements(By.tagName("td")).forEach(td -> cells.add(digits(td.getText())));
                    return cells;
                })
                .toList();
    }

    private List<String> total(String chart) {
        return console.driver().findElements(By.cssSelector("#table-" + chart + " tfoot td")).stream()
                .map(WebElement::getText).map(DashboardTrafficTest::digits).toList();
    }

    private static String digits(String text) {
        return text.replaceAll("[^0-9]", "");
    }

    /** The Chart.js instance on the chart's canvas: per dataset "label=sum over points". */
    @SuppressWarnings("unchecked")
    private List<String> chartSums(String chart) {
        Object sums = console.driver().executeScript("""
                const chart = window.Chart && Chart.getChart('chart-' + arguments[0]);
                if (!chart || chart.canvas.width === 0) return [];
                return chart.data.datasets.map(d => d.label + '=' + d.data.reduce((a, b) => a + b, 0) + ' over ' + d.data.length);
                """, chart);
        return (List<String>) sums;
    }
}
