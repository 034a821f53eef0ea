package zoneplane.system.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import zoneplane.dataplane.subscriber.ConfigSubscriber;
import zoneplane.dataplane.subscriber.SubscriberOptions;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;
import zoneplane.testing.Fixtures;
import zoneplane.testing.dashboard.Accessibility;
import zoneplane.testing.dashboard.BrowserTestBase;
import zoneplane.testing.dashboard.Console;

/**
 * Live propagation in a real browser: two real data-plane config subscribers follow this control
 * plane's change stream and report what they applied; a third node reports by hand over the same
 * node endpoint, so the test decides when it catches up. The zone page counts live nodes until
 * every one has the change, and the edge-nodes page lists them.

 */
class DashboardPropagationTest extends BrowserTestBase {

    private static final SubscriberOptions FAST = SubscriberOptions.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
            .withPersistInterval(Duration.ofMillis(300))
            .withReportInterval(Duration.ofMillis(300))
            .withAddress("127.0.0.1:18080");

    private final List<ConfigSubscriber> subscribers = new ArrayList<>();

    @TempDir
    Path caches;

    @AfterEach
    void stopSubscribers() {
        subscribers.forEach(ConfigSubscriber::close);
    }

    @Test
    void zonePageCountsEdgeNodesUntilEveryOneAppliedTheChange() throws IOException {
        String zoneId = new Fixtures(api()).zoneId("enterprise");
        String stalled = "edge-stalled-" + UUID.randomUUID().toString().substring(0, 8);
        report(stalled, zoneRevision(zoneId));
        String real1 = "edge-real-1-" + UUID.randomUUID().toString().substring(0, 8);
        String real2 = "edge-real-2-" + UUID.randomUUID().toString().substring(0, 8);
        subscribe(real1);
        subscribe(real2);
        // Nodes register with their first report, once they have loaded the snapshot.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> liveNodes().containsAll(List.of(real1, real2, stalled)));
        int live = liveNodes().size();

        console.openZone(zoneId);
        console.toggle("websockets");
        console.awaitSaved("websockets", "off");
        long revision = zoneRevision(zoneId);

        // The two real subscribers apply and report it; the hand-reported nodes do not, so the page waits at 2/N.
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.textToBe(By.id("propagation-text"),
                "Revision " + revision + " applied on 2/" + live + " edge nodes…"));
        assertThat(console.driver().findElement(By.id("propagation")).getAttribute("data-state")).isEqualTo("partial");
        browser.screenshot("zone-propagating");

        liveNodes().stream().filter(node -> !node.equals(real1) && !node.equals(real2)).forEach(node -> report(node, revision));
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.attributeToBe(By.id("propagation"), "data-state", "complete"));
        assertThat(console.driver().findElement(By.id("propagation-text")).getText())
                .isEqualTo("Revision " + revision + " applied on all " + live + " edge nodes (" + live + "/" + live + ").");
        JsonNode propagation = Envelopes.assertSuccess(api().get("/zones/" + zoneId + "/propagation"));
        assertThat(propagation.get("complete").asBoolean()).isTrue();
        assertThat(propagation.get("revision").asLong()).isEqualTo(revision);
        console.scrollToTop();
        browser.screenshot("zone-propagated");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void edgeNodesPageListsEachReportingNodeWithItsRevisionAndLag() {
        String zoneId = new Fixtures(api()).zoneId("free");
        long latest = Envelopes.assertSuccess(api().get("/zones/" + zoneId + "/propagation")).get("latest_revision").asLong();
        String current = "edge-current-" + UUID.randomUUID().toString().substring(0, 8);
        String behind = "edge-behind-" + UUID.randomUUID().toString().substring(0, 8);
        report(current, latest);
        report(behind, latest - 1);

        console.open("/edge-nodes");
        console.waitFor(By.id("edge-nodes-table"));
        assertThat(cells(current)).containsExactly(current, "Live", "0.1.0-test", "127.0.0.1:18443",
                String.valueOf(latest), "up to date");
        assertThat(cells(behind)).containsExactly(behind, "Live", "0.1.0-test", "127.0.0.1:18443",
                String.valueOf(latest - 1), "1 behind");
        // The fleet line: the latest revision is the one the API reports; someone is at least 1 behind.
        // (read in one script: the page redraws every 5 s)
        @SuppressWarnings("unchecked")
        java.util.Map<String, String> summary = (java.util.Map<String, String>) console.driver().executeScript(
                "const s = document.getElementById('edge-nodes-summary');"
                        + " return {latest: s.dataset.latest, worst: s.dataset.worst, text: s.textContent};");
        assertThat(summary.get("latest")).isEqualTo(String.valueOf(latest));
        assertThat(Long.parseLong(summary.get("worst"))).isGreaterThanOrEqualTo(1);
        assertThat(summary.get("text")).contains("up to date with revision " + latest);
        assertThat(Accessibility.violations(console.driver())).isEmpty();
        browser.screenshot("edge-nodes");
        assertThat(console.consoleErrors()).isEmpty();
    }

    @Test
    void aNodeThatRefusedTheZonesChangeIsNamedOnTheZonePageAndTheEdgeNodesPage() {
        String zoneId = new Fixtures(api()).zoneId("pro");
        long revision = zoneRevision(zoneId);
        String refusing = "edge-refusing-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Response answer = anonymous().withToken(NODE_TOKEN).put("/internal/v1/nodes/" + refusing,
                "{\"version\":\"0.1.0-test\",\"address\":\"127.0.0.1:18443\",\"applied_revision\":" + revision
                        + ",\"refused\":[{\"revision\":" + revision + ",\"zone_id\":\"" + zoneId
                        + "\",\"reason\":\"maybe is not a value of websockets\"}]}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);

        console.openZone(zoneId);
        browser.waitUpTo(Console.WAIT).until(ExpectedConditions.attributeToBe(By.id("propagation"), "data-state", "refused"));
        assertThat(console.driver().findElement(By.id("propagation-text")).getText())
                .contains("Refused by 1 edge node: " + refusing + " (revision " + revision + ": maybe is not a value of websockets)")
                .contains("earlier configuration");
        browser.screenshot("zone-refused");

        console.open("/edge-nodes");
        console.waitFor(By.id("edge-nodes-table"));
        assertThat(cells(refusing).get(1)).startsWith("Live; refused 1 change: revision " + revision + " (zone " + zoneId + ")");
        assertThat(console.consoleErrors()).isEmpty();
    }

    private void subscribe(String nodeId) throws IOException {
        ConfigSubscriber subscriber = new ConfigSubscriber(URI.create("http://127.0.0.1:" + port), NODE_TOKEN, nodeId,
                Files.createDirectories(caches.resolve(nodeId)), new LiveZoneView(), new SimpleMeterRegistry(), FAST);
        subscribers.add(subscriber);
        subscriber.start();
    }

    private List<String> cells(String node) {
        WebElement row = console.driver().findElement(By.cssSelector("#edge-nodes-table tr[data-node='" + node + "']"));
        List<String> cells = new ArrayList<>();
        cells.add(row.findElement(By.tagName("th")).getText());
        row.findElements(By.tagName("td")).stream().limit(5).forEach(cell -> cells.add(cell.getText()));
        return cells;
    }

    /** What a data-plane node sends after applying a revision (and as its keep-alive). */
    private void report(String node, long revision) {
        ApiClient.Response answer = anonymous().withToken(NODE_TOKEN).put("/internal/v1/nodes/" + node,
                "{\"version\":\"0.1.0-test\",\"address\":\"127.0.0.1:18443\",\"applied_revision\":" + revision + "}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /** The revision of the zone's latest change (what a PATCH's Zoneplane-Revision header named). */
    private long zoneRevision(String zoneId) {
        return Envelopes.assertSuccess(api().get("/zones/" + zoneId + "/propagation")).get("revision").asLong();
    }

    private List<String> liveNodes() {
        JsonNode nodes = Envelopes.assertSuccess(api().get("/edge_nodes?per_page=50"));
        List<String> live = new ArrayList<>();
        nodes.valueStream().filter(n -> n.get("live").asBoolean()).forEach(n -> live.add(n.get("node_id").asString()));
        return live;
    }
}
