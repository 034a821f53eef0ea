package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Issue 21 item 1: a {@code change_log} row the nodes cannot decode, inserted with SQL (a word V35's
 * constraint cannot see), stops nothing. Every node refuses it and says so (NACK in
 * {@code /propagation} and {@code /edge_nodes}, node and control-plane metrics, the node's health
 * details), keeps serving that zone's last good config, and applies every later change of other
 * zones; the lag stays measured against the head. Repairing the row and the next good change of the
 * zone bring it back. No visitor request fails; every accepted write is served.
 */
class PoisonedChangeTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final String POISONED = "poisoned.refusal.example.com";
    private static final String OTHER = "healthy.refusal.example.com";
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void aPoisonedRowIsRefusedAndReportedWhileOtherZonesKeepUpdatingAndTheZoneRecovers() throws Exception {
        SystemHarness sys = system.system();
        String poisonedId = sys.api().createZone(POISONED, "enterprise", sys.origin().url());
        String otherId = sys.api().createZone(OTHER, "enterprise", sys.origin().url());
        long created = sys.api().propagation(otherId).get("latest_revision").asLong();
        for (EdgeNodeProcess node : sys.nodes()) {
            assertThat(node.awaitServed(created, BOUND)).as(node.nodeId()).isPositive();
        }
        double refusedBefore = sumOverNodes(sys, "zoneplane_config_changes_refused_total");
        double nacksBefore = controlPlaneNacks(sys);

        try (BackgroundTraffic traffic = new BackgroundTraffic(sys.nodes(), List.of(POISONED, OTHER))) {
            long poisoned = insertPoisoned(sys, poisonedId);
            List<Long> accepted = new ArrayList<>();
            for (String value : List.of("on", "off", "on")) {
                accepted.add(ApiClient.require(sys.api().patchSettings(otherId, Map.of("true_client_ip_header", value))).revision());
            }
            long last = accepted.get(accepted.size() - 1);
            for (EdgeNodeProcess node : sys.nodes()) {
                assertThat(node.awaitServed(last, BOUND)).as("%s serves the changes after the poisoned one", node.nodeId()).isPositive();
                assertThat(new Visitor().get(node.visitorBase(), OTHER, "/after-poison").originHas("true-client-ip")).isTrue();
                assertThat(new Visitor().get(node.visitorBase(), POISONED, "/held").originHas("true-client-ip"))
                        .as("the poisoned zone keeps its last good config").isFalse();
                await().atMost(BOUND).until(() -> node.metric("zoneplane_config_refused_zones") == 1.0);
                await().atMost(BOUND).until(() -> node.metric("zoneplane_config_revision_lag") == 0.0);
                assertThat(node.healthDetails()).contains("\"status\":\"DEGRADED\"").contains("refused_changes")
                        .contains("revision=" + poisoned);
            }
            assertThat(sumOverNodes(sys, "zoneplane_config_changes_refused_total")).isEqualTo(refusedBefore + sys.nodes().size());

            // The NACK is visible to the operator: per node in the zone's propagation and in the edge-node list.
            await().atMost(BOUND).untilAsserted(() -> {
                JsonNode propagation = sys.api().propagation(poisonedId);
                assertThat(propagation.get("complete").asBoolean()).isFalse();
                for (EdgeNodeProcess node : sys.nodes()) {
                    JsonNode entry = entry(propagation.get("nodes"), node.nodeId());
                    assertThat(entry.get("applied").asBoolean()).isFalse();
                    assertThat(entry.get("refused").get("revision").asLong()).isEqualTo(poisoned);
                    assertThat(entry.get("refused").get("reason").asString()).contains("maybe");
                }
            });
            JsonNode edgeNodes = ApiClient.require(sys.api().get("/edge_nodes?per_page=50")).result();
            for (EdgeNodeProcess node : sys.nodes()) {
                assertThat(entry(edgeNodes, node.nodeId()).get("refused").get(0).get("zone_id").asString()).isEqualTo(poisonedId);
            }
            assertThat(controlPlaneNacks(sys)).as("NACKs counted by the control planes").isGreaterThanOrEqualTo(nacksBefore + sys.nodes().size());

            // Repair: the row is fixed in SQL, then the zone's next good change reaches every node.
            try (Connection db = sys.postgres().connect(); Statement st = db.createStatement()) {
                st.execute("update change_log set payload = jsonb_set(payload, '{zone,settings,websockets}', '\"on\"') where revision = "
                        + poisoned);
            }
            long repaired = ApiClient.require(sys.api().patchSettings(poisonedId, Map.of("true_client_ip_header", "on"))).revision();
            for (EdgeNodeProcess node : sys.nodes()) {
                assertThat(node.awaitServed(repaired, BOUND)).isPositive();
                await().atMost(BOUND).until(() -> node.metric("zoneplane_config_refused_zones") == 0.0);
                assertThat(new Visitor().get(node.visitorBase(), POISONED, "/recovered").originHas("true-client-ip")).isTrue();
                assertThat(node.healthDetails()).contains("\"refused_changes\":\"ok\"");
            }
            await().atMost(BOUND).until(() -> sys.api().propagation(poisonedId).get("complete").asBoolean());

            traffic.close();
            System.out.printf("poisoned change: revision %d refused by %d nodes, %d later writes served, %d visitor requests, %d failed%n",
                    poisoned, sys.nodes().size(), accepted.size() + 1, traffic.answered(), traffic.failures().size());
            assertThat(traffic.failures()).as("visitor requests that failed").isEmpty();
            assertThat(traffic.answered()).isPositive();
        }
    }

    /** Zone {@code zoneId}'s change with a websockets word no node knows: passes V35 (SQL cannot see values), refused by the nodes. */
    private static long insertPoisoned(SystemHarness sys, String zoneId) throws Exception {
        try (Connection db = sys.postgres().connect()) {
            db.setAutoCommit(false);
            long revision;
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "update config_revision set revision = revision + 1 returning revision")) {
                rs.next();
                revision = rs.getLong(1);
            }
            try (PreparedStatement insert = db.prepareStatement("""
                    insert into change_log (revision, zone_id, kind, payload)
                    select ?, z.id, 'zone_upserted', jsonb_build_object('revision', ?::bigint, 'type', 'zone_upserted',
                        'zone', jsonb_build_object('id', z.id, 'name', z.name, 'plan', z.plan, 'origin', z.origin,
                            'paused', z.paused, 'settings', jsonb_build_object('websockets', 'maybe')))
                    from zones z where z.id = ?""")) {
                insert.setLong(1, revision);
                insert.setLong(2, revision);
                insert.setString(3, zoneId);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            db.commit();
            return revision;
        }
    }

    private static JsonNode entry(JsonNode nodes, String nodeId) {
        for (JsonNode n : nodes) {
            if (n.get("node_id").asString().equals(nodeId)) {
                return n;
            }
        }
        throw new AssertionError(nodeId + " not listed in " + nodes);
    }


    private static double sumOverNodes(SystemHarness sys, String metric) throws Exception {
        double sum = 0;
        for (EdgeNodeProcess node : sys.nodes()) {
            sum += node.metric(metric);
        }
        return sum;
    }

    /** zoneplane_distribution_node_refusals_total summed over the running control planes. */
    private static double controlPlaneNacks(SystemHarness sys) throws Exception {
        double sum = 0;
        Pattern sample = Pattern.compile("(?m)^zoneplane_distribution_node_refusals_total(\\{[^}]*})? (\\S+)$");
        for (int i = 0; i < 2; i++) {
            ControlPlaneProcess cp = sys.controlPlane(i);
            if (cp.process().alive()) {
                Matcher m = sample.matcher(cp.api().get("/actuator/prometheus").body());
                if (m.find()) {
                    sum += Double.parseDouble(m.group(2));
                }
            }
        }
        return sum;
    }
}
