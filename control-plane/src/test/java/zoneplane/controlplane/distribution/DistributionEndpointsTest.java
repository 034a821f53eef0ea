package zoneplane.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotReader;
import zoneplane.model.wire.WireFormat;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/** The node-facing endpoints over real HTTP: auth, snapshot, change stream, 410, node reports. */
class DistributionEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestDatabase.Database db;
    private static EmbeddedControlPlane controlPlane;
    private static TestChangeWriter writer;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.newDatabase();
        controlPlane = EmbeddedControlPlane.start(db, 0, Map.of(
                "zoneplane.distribution.retain-revisions", "3",
                "zoneplane.distribution.retain-for", "0s"));
        TestChangeWriter.ensureAccount(db);
        writer = new TestChangeWriter(db);
    }

    @AfterAll
    static void stop() throws Exception {
        writer.close();
        controlPlane.close();
    }

    private ApiClient node() {
        return new ApiClient(controlPlane.baseUrl()).withToken(EmbeddedControlPlane.NODE_TOKEN);
    }

    @Test
    void internalEndpointsRefuseAMissingOrWrongNodeTokenWith401() {
        ApiClient anonymous = new ApiClient(controlPlane.baseUrl());
        ApiClient wrong = anonymous.withToken(EmbeddedControlPlane.NODE_TOKEN + "x");
        for (ApiClient client : List.of(anonymous, wrong, anonymous.withHeader("Authorization", "Basic abc"))) {
            for (ApiClient.Response r : List.of(client.get("/internal/v1/snapshot"), client.get("/internal/v1/changes?after=0"),
                    client.put("/internal/v1/nodes/edge-x", "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":0}"))) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.errorCode()).isEqualTo(10000);
                assertThat(r.json().get("success").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void theCloudflarePrefixAndEncodedPathsDoNotBypassNodeAuthentication() {
        ApiClient anonymous = new ApiClient(controlPlane.baseUrl());
        for (String path : List.of("/client/v4/internal/v1/snapshot", "/internal/v1/%73napshot", "/client/v4/internal/v1/changes?after=0")) {
            ApiClient.Response r = anonymous.get(path);
            assertThat(r.status()).as(path).isIn(401, 404);
            assertThat(r.body()).as(path).doesNotContain("\"zones\"");
        }
        assertThat(node().get("/client/v4/internal/v1/snapshot").status()).isEqualTo(200);
    }

    @Test
    void snapshotHoldsEveryZoneWithEffectiveSettingsAtItsRevision() throws Exception {
        String id = TestChangeWriter.newZoneId();
        writer.createZone(id, "snap.example.com", Plan.FREE, "http://10.1.1.1");
        writer.setSetting(id, Setting.WEBSOCKETS, Setting.WEBSOCKETS.value("off").orElseThrow());
        // A value the plan does not permit (left over from a downgrade) is not in effect: the default is.
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("insert into zone_settings (zone_id, setting_id, value) values ('" + id + "', 'ipv6', '\"off\"')");
        }

        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(controlPlane.baseUrl() + "/internal/v1/snapshot"))
                .header("Authorization", "Bearer " + EmbeddedControlPlane.NODE_TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        List<ZoneConfig> zones = new ArrayList<>();
        long revision = SnapshotReader.read(new ByteArrayInputStream(response.body()), zones::add);
        assertThat(response.headers().firstValue("Zoneplane-Revision")).contains(Long.toString(revision));
        assertThat(revision).isEqualTo(writer.latestRevision());
        Map<String, ZoneConfig> expected = writer.readAll();
        assertThat(zones).hasSize(expected.size());
        zones.forEach(zone -> assertThat(expected.get(zone.name())).isEqualTo(zone));
        ZoneConfig snap = zones.stream().filter(z -> z.id().equals(id)).findFirst().orElseThrow();
        assertThat(snap.settings().get(Setting.WEBSOCKETS).text()).isEqualTo("off");
        assertThat(snap.settings().get(Setting.IPV6).text()).isEqualTo("on");
    }

    @Test
    void changeStreamSendsAHeartbeatThenEveryLaterChangeInOrderAsNdjson() throws Exception {
        long start = writer.latestRevision();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(controlPlane.baseUrl() + "/internal/v1/changes?after=" + start))
                .header("Authorization", "Bearer " + EmbeddedControlPlane.NODE_TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
        Thread reader = new Thread(() -> response.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode first = JSON.readTree(poll(lines));
            assertThat(first.get("type").asString()).isEqualTo("heartbeat");
            assertThat(first.get("revision").asLong()).isEqualTo(start);

            String id = TestChangeWriter.newZoneId();
            long created = writer.createZone(id, "stream.example.com", Plan.BUSINESS, null);
            long changed = writer.setSetting(id, Setting.MAX_UPLOAD, Setting.MAX_UPLOAD.value("200").orElseThrow());
            long deleted = writer.deleteZone(id);

            List<Change> received = new ArrayList<>();
            while (received.size() < 3) {
                String line = poll(lines);
                if (!line.contains("\"heartbeat\"")) {
                    received.add(WireFormat.changeFromJson(line));
                }
            }
            assertThat(received).extracting(Change::revision).containsExactly(created, changed, deleted);
            assertThat(received.get(0)).isInstanceOf(Change.ZoneUpserted.class);
            assertThat(((Change.ZoneUpserted) received.get(1)).zone().settings().get(Setting.MAX_UPLOAD).text()).isEqualTo("200");
            assertThat(received.get(2)).isEqualTo(new Change.ZoneDeleted(deleted, id, "stream.example.com"));

            // Idle: heartbeats keep coming (1 s in this test) and carry the latest revision.
            JsonNode heartbeat = JSON.readTree(poll(lines));
            assertThat(heartbeat.get("type").asString()).isEqualTo("heartbeat");
            assertThat(heartbeat.get("revision").asLong()).isEqualTo(deleted);
        } finally {
            response.body().close();
        }
    }

    @Test
    void changesAfterCompactedHistoryAnswer410AndRetainedOnesStream() throws Exception {
        String id = TestChangeWriter.newZoneId();
        writer.createZone(id, "compact.example.com", Plan.PRO, null);
        for (String value : List.of("off", "on", "off", "on", "off")) {
            writer.setSetting(id, Setting.GRPC, Setting.GRPC.value(value).orElseThrow());
        }
        long latest = writer.latestRevision();

        ChangeLogStore.Compaction compaction = controlPlane.bean(ChangeLogCompactor.class).compactNow();

        assertThat(compaction.compactedThrough()).isEqualTo(latest - 3);
        ApiClient.Response gone = node().get("/internal/v1/changes?after=" + (latest - 4));
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().get("success").asBoolean()).isFalse();
        assertThat(gone.json().get("errors").get(0).get("message").asString()).contains("snapshot");
        HttpResponse<Stream<String>> ok = HTTP.send(HttpRequest.newBuilder(
                        URI.create(controlPlane.baseUrl() + "/internal/v1/changes?after=" + (latest - 3)))
                .header("Authorization", "Bearer " + EmbeddedControlPlane.NODE_TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(ok.statusCode()).isEqualTo(200);
        ok.body().close();
    }

    @Test
    void malformedOrFutureRevisionsAreRefused() {
        assertThat(node().get("/internal/v1/changes?after=abc").status()).isEqualTo(400);
        assertThat(node().get("/internal/v1/changes?after=-1").status()).isEqualTo(400);
        assertThat(node().get("/internal/v1/changes").status()).isEqualTo(400);
        ApiClient.Response ahead = node().get("/internal/v1/changes?after=999999999");
        assertThat(ahead.status()).isEqualTo(410);
        assertThat(ahead.body()).contains("ahead");
    }

    @Test
    void nodeReportsRegisterThenUpdateTheNode() throws Exception {
        ApiClient.Response first = node().put("/internal/v1/nodes/edge-report-1",
                "{\"version\":\"0.1.0\",\"address\":\"10.0.0.9:8000\",\"applied_revision\":3}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.result().get("node_id").asString()).isEqualTo("edge-report-1");
        assertThat(first.result().get("applied_revision").asLong()).isEqualTo(3);

        ApiClient.Response second = node().put("/internal/v1/nodes/edge-report-1",
                "{\"version\":\"0.1.1\",\"address\":\"10.0.0.9:8000\",\"applied_revision\":8}");
        assertThat(second.result().get("version").asString()).isEqualTo("0.1.1");
        assertThat(second.result().get("applied_revision").asLong()).isEqualTo(8);
        assertThat(second.result().get("registered_on").asString()).isEqualTo(first.result().get("registered_on").asString());
        EdgeNode stored = controlPlane.bean(EdgeNodeRegistry.class).all().stream()
                .filter(n -> n.nodeId().equals("edge-report-1")).findFirst().orElseThrow();
        assertThat(stored.live()).isTrue();
        assertThat(stored.appliedRevision()).isEqualTo(8);
    }

    @Test
    void aReportThatMovesANodeForwardTimesThePropagationOfItsNewestRevision() throws Exception {
        String id = TestChangeWriter.newZoneId();
        long created = writer.createZone(id, "propagation-timer.example.com", Plan.FREE, "http://10.1.1.1");
        long changed = writer.setSetting(id, Setting.WEBSOCKETS, Setting.WEBSOCKETS.value("off").orElseThrow());
        double before = propagationCount();

        node().put("/internal/v1/nodes/edge-propagation", "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":" + created + "}");
        assertThat(propagationCount()).as("a first report (registration) times nothing").isEqualTo(before);
        node().put("/internal/v1/nodes/edge-propagation", "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":" + changed + "}");
        assertThat(propagationCount()).isEqualTo(before + 1);
        node().put("/internal/v1/nodes/edge-propagation", "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":" + changed + "}");
        assertThat(propagationCount()).as("a keep-alive at the same revision times nothing").isEqualTo(before + 1);
    }

    private static double propagationCount() throws Exception {
        HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(controlPlane.baseUrl() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + EmbeddedControlPlane.OPERATOR_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body().lines().filter(l -> l.startsWith("zoneplane_distribution_propagation_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void invalidNodeReportsAre400AndStoreNothing() {
        String ok = "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":1}";
        assertThat(node().put("/internal/v1/nodes/bad%20id", ok).status()).isEqualTo(400);
        assertThat(node().put("/internal/v1/nodes/edge-bad", "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":-1}").status()).isEqualTo(400);
        assertThat(node().put("/internal/v1/nodes/edge-bad", "{\"version\":\"1\",\"address\":\"a\",\"applied_revision\":\"1\"}").status()).isEqualTo(400);
        assertThat(node().put("/internal/v1/nodes/edge-bad", "{\"address\":\"a\",\"applied_revision\":1}").status()).isEqualTo(400);
        assertThat(node().put("/internal/v1/nodes/edge-bad", "[1]").status()).isEqualTo(400);
        assertThat(node().put("/internal/v1/nodes/edge-bad", "{not json").status()).isEqualTo(400);
        assertThat(controlPlane.bean(EdgeNodeRegistry.class).all()).noneMatch(n -> n.nodeId().equals("edge-bad"));
    }

    private static String poll(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a stream line within 10 s").isNotNull();
        return line;
    }
}
