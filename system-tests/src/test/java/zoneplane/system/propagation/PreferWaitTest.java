package zoneplane.system.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.distribution.EdgeNode;
import zoneplane.controlplane.distribution.EdgeNodeRegistry;
import zoneplane.model.Plan;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.TestChangeWriter;
import zoneplane.testing.TestDatabase;

/**
 * Prefer: wait and the propagation views across two replicas on one database: each replica has its
 * own node, so a wait on replica A completes only through node reports that reach replica B.
 */
class PreferWaitTest {

    @TempDir
    static Path caches;

    private static TestDatabase.Database db;
    private static EmbeddedControlPlane replicaA;
    private static EmbeddedControlPlane replicaB;
    private static Subscribers.Node nodeA;
    private static Subscribers.Node nodeB;
    private static String zoneId;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.newDatabase();
        Map<String, Object> props = Map.of("zoneplane.distribution.node-dead-after", "3s");
        replicaA = EmbeddedControlPlane.start(db, 0, props, TestWriteController.class);
        replicaB = EmbeddedControlPlane.start(db, 0, props, TestWriteController.class);
        TestChangeWriter.ensureAccount(db);
        try (TestChangeWriter writer = new TestChangeWriter(db)) {
            zoneId = TestChangeWriter.newZoneId();
            writer.createZone(zoneId, "wait.example.com", Plan.FREE, "http://10.0.0.2");
        }
        nodeA = Subscribers.start(replicaA.baseUrl(), "edge-on-a", caches.resolve("a"));
        nodeB = Subscribers.start(replicaB.baseUrl(), "edge-on-b", caches.resolve("b"));
        await().atMost(Duration.ofSeconds(30)).until(() -> liveNodes().size() == 2);
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        replicaA.close();
        replicaB.close();
    }

    private static List<EdgeNode> liveNodes() {
        return replicaA.bean(EdgeNodeRegistry.class).live();
    }

    private static ApiClient.Response patch(EmbeddedControlPlane replica, String prefer, String value) {
        ApiClient client = replica.api();
        if (prefer != null) {
            client = client.withHeader("Prefer", prefer);
        }
        return client.patch("/test-writes/zones/" + zoneId + "/settings/websockets", "{\"value\":\"" + value + "\"}");
    }

    @Test
    void patchWithPreferWaitAnswersOnceEveryLiveNodeAppliedItsRevision() {
        ApiClient.Response response = patch(replicaA, "wait=10", "off");

        assertThat(response.status()).isEqualTo(200);
        long revision = Long.parseLong(response.header("Zoneplane-Revision").orElseThrow());
        assertThat(response.header("Zoneplane-Propagation")).contains("complete");
        assertThat(response.header("Preference-Applied")).contains("wait=10");
        assertThat(response.header("Zoneplane-Propagation-Nodes")).contains("2/2");
        // It waited: both nodes (one streaming from the other replica) had reported it already.
        assertThat(replicaA.bean(EdgeNodeRegistry.class).progress(revision).applied()).isEqualTo(2);
        assertThat(nodeA.subscriber().appliedRevision()).isGreaterThanOrEqualTo(revision);
        assertThat(nodeB.subscriber().appliedRevision()).isGreaterThanOrEqualTo(revision);
        assertThat(nodeB.live().current().zone("wait.example.com").orElseThrow().settings()
                .get(zoneplane.model.Setting.WEBSOCKETS).text()).isEqualTo("off");
        assertThat(response.json().get("result").get("value").asString()).isEqualTo("off");
    }

    @Test
    void theApisRealSettingPatchUnderTheCloudflarePrefixHonoursPreferWait() {
        ApiClient api = replicaB.api();
        String account = api.post("/accounts", "{\"name\":\"Prefer Ltd\"}").result().get("id").asString();
        String zone = api.post("/client/v4/zones", "{\"name\":\"real-patch.example.com\",\"account\":{\"id\":\"" + account
                + "\"},\"origin\":\"http://10.0.0.3\"}").result().get("id").asString();

        ApiClient.Response response = api.withHeader("Prefer", "wait=10")
                .patch("/client/v4/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.result().get("value").asString()).isEqualTo("on");
        long revision = Long.parseLong(response.header("Zoneplane-Revision").orElseThrow());
        assertThat(response.header("Zoneplane-Propagation")).contains("complete");
        assertThat(nodeA.live().current().revision()).isGreaterThanOrEqualTo(revision);
        assertThat(nodeA.live().current().zone("real-patch.example.com").orElseThrow().settings()
                .get(zoneplane.model.Setting.GRPC).text()).isEqualTo("on");

        // The same value again changes nothing: no revision, so nothing to wait for and no header.
        ApiClient.Response again = api.withHeader("Prefer", "wait=10")
                .patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Zoneplane-Revision")).isEmpty();
        assertThat(again.header("Zoneplane-Propagation")).isEmpty();
    }

    @Test
    void withoutPreferTheAnswerCarriesNoPropagationHeader() {
        ApiClient.Response response = patch(replicaB, null, "on");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Zoneplane-Revision")).isPresent();
        assertThat(response.header("Zoneplane-Propagation")).isEmpty();
        assertThat(response.header("Preference-Applied")).isEmpty();
    }

    @Test
    void aLiveNodeThatNeverAppliesMakesTheWaitPartialUntilItAgesOut() {
        ApiClient node = new ApiClient(replicaB.baseUrl()).withToken(EmbeddedControlPlane.NODE_TOKEN);
        assertThat(node.put("/internal/v1/nodes/edge-stuck", "{\"version\":\"1\",\"address\":\"x\",\"applied_revision\":0}").status())
                .isEqualTo(200);

        long started = System.nanoTime();
        ApiClient.Response partial = patch(replicaA, "respond-async, wait=1", "off");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(partial.header("Zoneplane-Propagation")).contains("partial");
        assertThat(partial.header("Zoneplane-Propagation-Nodes")).contains("2/3");
        assertThat(tookMillis).isGreaterThanOrEqualTo(900);
        JsonNode propagation = replicaA.api().get("/zones/" + zoneId + "/propagation").result();
        assertThat(propagation.get("live").asInt()).isEqualTo(3);
        assertThat(propagation.get("complete").asBoolean()).isFalse();
        assertThat(propagation.get("revision").asLong()).isEqualTo(Long.parseLong(partial.header("Zoneplane-Revision").orElseThrow()));

        // edge-stuck stops reporting and ages out after node-dead-after (3 s): waits complete again.
        await().atMost(Duration.ofSeconds(15)).until(() -> liveNodes().size() == 2);
        ApiClient.Response complete = patch(replicaA, "wait=10", "on");
        assertThat(complete.header("Zoneplane-Propagation")).contains("complete");
        JsonNode nodes = replicaB.api().get("/edge_nodes").json();
        assertThat(nodes.get("result_info").get("total_count").asInt()).isEqualTo(3);
        JsonNode stuck = null;
        for (JsonNode n : nodes.get("result")) {
            if (n.get("node_id").asString().equals("edge-stuck")) {
                stuck = n;
            }
        }
        assertThat(stuck).isNotNull();
        assertThat(stuck.get("live").asBoolean()).isFalse();
        assertThat(stuck.get("lag").asLong()).isGreaterThan(0);
    }

    @Test
    void propagationOfAnUnknownZoneIs404OfAMalformedId400AndOfAKnownZoneCountsLiveNodes() {
        ApiClient.Response unknown = replicaA.api().get("/zones/" + "f".repeat(32) + "/propagation");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(1001);
        ApiClient.Response malformed = replicaA.api().get("/zones/not-an-id/propagation");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo(7003);

        ApiClient.Response done = patch(replicaB, "wait=10", "off");
        assertThat(done.header("Zoneplane-Propagation")).contains("complete");
        JsonNode result = replicaA.api().get("/client/v4/zones/" + zoneId + "/propagation").result();
        assertThat(result.get("zone_id").asString()).isEqualTo(zoneId);
        assertThat(result.get("revision").asLong()).isEqualTo(Long.parseLong(done.header("Zoneplane-Revision").orElseThrow()));
        assertThat(result.get("applied").asInt()).isEqualTo(result.get("live").asInt());
        assertThat(result.get("nodes").size()).isEqualTo(result.get("live").asInt());
    }
}
