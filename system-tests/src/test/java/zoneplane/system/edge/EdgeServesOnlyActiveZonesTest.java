package zoneplane.system.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;

/**
 * Zone names per account as the edge sees them: a second account's pending zone of a name never
 * takes over the name another account serves, even when it is changed, and after the operator's
 * activation check the edge serves the new holder's origin (the moved zone is withdrawn). Real API,
 * real data-plane node wired as {@code DataPlaneMain} wires it, real origin.
 */
class EdgeServesOnlyActiveZonesTest {

    @RegisterExtension
    static final EdgeExtension edge = new EdgeExtension("e2e-edge-active");

    @Test
    void aPendingZoneOfAServedNameIsNotServedUntilTheOperatorActivatesIt() throws IOException {
        ApiClient api = edge.api();
        String squatter = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"First\"}")).get("id").asString();
        String owner = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"Owner\"}")).get("id").asString();
        String first = Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + squatter
                + "\"},\"name\":\"shared.example.com\",\"origin\":\"http://127.0.0.1:" + edge.originPort() + "/first\"}"))
                .get("id").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(edge.node().get("shared.example.com")).contains("GET /first"));

        ApiClient waiting = api.withHeader("Prefer", "wait=10");
        JsonNode pending = Envelopes.assertSuccess(waiting.post("/zones", "{\"account\":{\"id\":\"" + owner
                + "\"},\"name\":\"shared.example.com\",\"origin\":\"http://127.0.0.1:" + edge.originPort() + "/owner\"}"));
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        String second = pending.get("id").asString();
        ApiClient.Response changed = waiting.patch("/client/v4/zones/" + second, "{\"paused\":false,\"origin\":\"http://127.0.0.1:"
                + edge.originPort() + "/owner2\"}");
        assertThat(changed.header("Zoneplane-Propagation")).contains("complete");
        assertThat(edge.node().get("shared.example.com")).contains("GET /first");

        ApiClient.Response settled = waiting.put("/client/v4/zones/" + second + "/activation_check", null);
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.header("Zoneplane-Propagation")).contains("complete");
        assertThat(edge.node().get("shared.example.com")).contains("GET /owner2");
        assertThat(Envelopes.assertSuccess(api.get("/zones/" + first)).get("status").asString()).isEqualTo("moved");

        // deleting the moved zone does not disturb the active one
        ApiClient.Response deleted = waiting.delete("/client/v4/zones/" + first);
        assertThat(deleted.header("Zoneplane-Propagation")).contains("complete");
        assertThat(edge.node().get("shared.example.com")).contains("GET /owner2");
    }
}
