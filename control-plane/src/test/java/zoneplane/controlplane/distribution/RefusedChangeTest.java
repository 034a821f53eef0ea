package zoneplane.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.ControlPlaneEndpoints;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.wire.StreamLine;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/**
 * Issue 21 item 1 on the control plane: V35 forbids the rows the decoder refuses (as far as SQL
 * sees), a repaired row is streamed repaired (the in-memory tail does not outlive it), and a node's
 * NACK shows in {@code /propagation}, {@code /edge_nodes} and the refusals metric.
 */
class RefusedChangeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestDatabase.Database db;
    private static EmbeddedControlPlane controlPlane;
    private static TestChangeWriter writer;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.newDatabase();
        controlPlane = EmbeddedControlPlane.start(db, 0, Map.of("zoneplane.distribution.heartbeat-interval", "1s"));
        TestChangeWriter.ensureAccount(db);
        writer = new TestChangeWriter(db);
    }

    @AfterAll
    static void stop() throws Exception {
        writer.close();
        controlPlane.close();
    }

    private static String upsert(String id, String name, String settings) {
        return "{\"type\":\"zone_upserted\",\"zone\":{\"id\":\"" + id + "\",\"name\":\"" + name
                + "\",\"plan\":\"pro\",\"origin\":null,\"paused\":false,\"settings\":{" + settings + "}}}";
    }

    /** Inserts {@code payload} (its revision set to the row's) as the next revision, by SQL; returns it. */
    private static long insert(String zoneId, String kind, String payload) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                var rs = st.executeQuery("update config_revision set revision = revision + 1 returning revision");
                rs.next();
                long revision = rs.getLong(1);
                st.execute("insert into change_log (revision, zone_id, kind, payload) values (" + revision + ", '" + zoneId
                        + "', '" + kind + "', jsonb_set('" + payload.replace("'", "''") + "'::jsonb, '{revision}', to_jsonb("
                        + revision + "::bigint)))");
                c.commit();
                return revision;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Test
    void theSchemaRefusesWhatTheDecoderRefusesAsFarAsSqlSees() throws Exception {
        String id = TestChangeWriter.newZoneId();
        String other = TestChangeWriter.newZoneId();
        List<String> refused = List.of(
                upsert(id, "bad.example.com", "\"max_upload\":\"100\""),
                upsert(id, "bad.example.com", "\"websockets\":1"),
                upsert(id, "bad.example.com", "\"Bad-Name\":\"on\""),
                upsert(id, "bad.example.com", "\"max_upload\":1.5"),
                upsert(id, "bad.example.com", "\"websockets\":\"\"").replace("\"plan\":\"pro\"", "\"plan\":\"platinum\""),
                upsert(id, "Bad.Example.com", ""),
                upsert(id, "bad.example.com", "").replace("\"paused\":false", "\"paused\":\"no\""),
                upsert(other, "bad.example.com", ""),
                "{\"type\":\"zone_upserted\",\"zone\":[]}",
                "{\"type\":\"zone_deleted\",\"zone_id\":\"" + id + "\"}");
        for (String payload : refused) {
            String kind = payload.contains("zone_deleted") ? "zone_deleted" : "zone_upserted";
            assertThatThrownBy(() -> insert(id, kind, payload))
                    .as(payload).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23514"));
        }
        // A payload whose type disagrees with the row's kind, and one whose revision is not the row's.
        assertThatThrownBy(() -> insert(id, "zone_deleted", upsert(id, "bad.example.com", ""))).isInstanceOf(SQLException.class);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("insert into change_log (revision, zone_id, kind, payload) values (999999, '" + id
                    + "', 'zone_upserted', '" + upsert(id, "bad.example.com", "").replace("{\"type\"", "{\"revision\":5,\"type\"") + "')"))
                    .isInstanceOf(SQLException.class);
        }
        // What SQL cannot see (a word that is not a value of the setting) still goes in: the nodes refuse it.
        String create = TestChangeWriter.newZoneId();
        writer.createZone(create, "unseen.example.com", Plan.PRO, null);
        assertThat(insert(create, "zone_upserted", upsert(create, "unseen.example.com", "\"websockets\":\"maybe\""))).isPositive();
    }

    @Test
    void aRepairedRowIsStreamedRepairedAndNotFromTheInMemoryTail() throws Exception {
        String id = TestChangeWriter.newZoneId();
        writer.createZone(id, "repaired.example.com", Plan.PRO, null);
        long poisoned = insert(id, "zone_upserted", upsert(id, "repaired.example.com", "\"websockets\":\"maybe\""));
        assertThat(firstChangeAfter(poisoned - 1)).contains("maybe");

        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("update change_log set payload = jsonb_set(payload, '{zone,settings,websockets}', '\"off\"') where revision = "
                    + poisoned);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> StreamLine.decode(firstChangeAfter(poisoned - 1))
                instanceof StreamLine.ChangeLine line && line.change() instanceof Change.ZoneUpserted upserted
                && upserted.zone().settings().get(Setting.WEBSOCKETS).text().equals("off"));
    }

    /** The first change line of a stream opened after {@code after} (skipping heartbeats). */
    private static String firstChangeAfter(long after) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(controlPlane.baseUrl() + "/internal/v1/changes?after=" + after))
                .header("Authorization", "Bearer " + EmbeddedControlPlane.NODE_TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 5; i++) {
                String line = reader.readLine();
                assertThat(line).as("a stream line").isNotNull();
                if (!line.contains("\"heartbeat\"")) {
                    return line;
                }
            }
        }
        throw new AssertionError("no change line after revision " + after);
    }

    @Test
    void aNodesNackShowsInPropagationAndEdgeNodesAndIsCountedOnce() throws Exception {
        String id = TestChangeWriter.newZoneId();
        writer.createZone(id, "nack.example.com", Plan.PRO, null);
        long poisoned = insert(id, "zone_upserted", upsert(id, "nack.example.com", "\"websockets\":\"maybe\""));
        ApiClient node = new ApiClient(controlPlane.baseUrl()).withToken(EmbeddedControlPlane.NODE_TOKEN);
        double before = refusalsCounted();
        String nack = "{\"version\":\"1\",\"address\":\"edge-nack:8000\",\"applied_revision\":" + poisoned
                + ",\"refused\":[{\"revision\":" + poisoned + ",\"zone_id\":\"" + id + "\",\"reason\":\"maybe is not a value of websockets\"}]}";
        assertThat(node.put("/internal/v1/nodes/edge-nack", nack).status()).isEqualTo(200);
        assertThat(node.put("/internal/v1/nodes/edge-nack", nack).status()).isEqualTo(200);
        assertThat(refusalsCounted()).as("the same refusal reported twice counts once").isEqualTo(before + 1);

        JsonNode propagation = controlPlane.api().get("/zones/" + id + "/propagation").result();
        JsonNode entry = nodeEntry(propagation.get("nodes"), "edge-nack");
        assertThat(entry.get("applied").asBoolean()).isFalse();
        assertThat(entry.get("refused").get("revision").asLong()).isEqualTo(poisoned);
        assertThat(entry.get("refused").get("reason").asString()).contains("maybe");
        assertThat(propagation.get("complete").asBoolean()).isFalse();
        JsonNode listed = nodeEntry(controlPlane.api().get("/edge_nodes?per_page=50").result(), "edge-nack");
        assertThat(listed.get("refused").get(0).get("zone_id").asString()).isEqualTo(id);

        // The node recovered the zone (a later change or a snapshot): its next report carries no refusal.
        assertThat(node.put("/internal/v1/nodes/edge-nack", "{\"version\":\"1\",\"address\":\"edge-nack:8000\",\"applied_revision\":"
                + poisoned + ",\"refused\":[]}").status()).isEqualTo(200);
        entry = nodeEntry(controlPlane.api().get("/zones/" + id + "/propagation").result().get("nodes"), "edge-nack");
        assertThat(entry.get("applied").asBoolean()).isTrue();
        assertThat(entry.get("refused").isNull()).isTrue();
    }

    @Test
    void aMalformedRefusalListIsABadRequestInTheEnvelope() {
        ApiClient node = new ApiClient(controlPlane.baseUrl()).withToken(EmbeddedControlPlane.NODE_TOKEN);
        for (String refused : List.of("{}", "[{\"revision\":9,\"zone_id\":null,\"reason\":\"x\"}]", "[{\"revision\":1,\"reason\":7}]",
                "[{\"revision\":1,\"zone_id\":5,\"reason\":\"x\"}]", "[{\"revision\":1,\"zone_id\":null,\"reason\":\"" + "x".repeat(301) + "\"}]")) {
            ApiClient.Response r = node.put("/internal/v1/nodes/edge-bad",
                    "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":3,\"refused\":" + refused + "}");
            assertThat(r.status()).as(refused).isEqualTo(400);
            assertThat(r.json().get("success").asBoolean()).isFalse();
            assertThat(r.json().get("errors").get(0).get("message").asString()).as(refused).contains("refused");
        }
    }

    private static JsonNode nodeEntry(JsonNode nodes, String nodeId) {
        List<String> seen = new ArrayList<>();
        for (JsonNode n : nodes) {
            if (n.get("node_id").asString().equals(nodeId)) {
                return n;
            }
            seen.add(n.get("node_id").asString());
        }
        throw new AssertionError(nodeId + " not among " + seen);
    }

    private static double refusalsCounted() {
        String body = controlPlane.api().get(ControlPlaneEndpoints.PROMETHEUS_PATH).body();
        Matcher m = Pattern.compile("(?m)^zoneplane_distribution_node_refusals_total(\\{[^}]*})? (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
