package zoneplane.controlplane.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

@TestPropertySource(properties = {
        "zoneplane.edge.ipv4-addresses=192.0.2.10, 192.0.2.11",
        "zoneplane.edge.ipv6-addresses=2001:DB8:0:0:0:0:0:10"})
class DnsRecordsTest extends ControlPlaneIntegrationTest {

    @Test
    void zoneWithIpv6OnPublishesAAndAaaaRecordsOfTheEdgeInCloudflaresShape() {
        JsonNode zone = new Fixtures(api()).zone("free");
        String id = zone.get("id").asString();
        ApiClient.Response response = api().get("/client/v4/zones/" + id + "/dns_records");
        JsonNode records = assertSuccess(response);
        assertThat(contents(records)).containsExactly("A 192.0.2.10", "A 192.0.2.11", "AAAA 2001:db8::10");
        for (JsonNode record : records) {
            assertThat(record.get("id").asString()).matches("[0-9a-f]{32}");
            assertThat(record.get("name").asString()).isEqualTo(zone.get("name").asString());
            assertThat(record.get("zone_id").asString()).isEqualTo(id);
            assertThat(record.get("proxied").asBoolean()).isTrue();
            assertThat(record.get("ttl").asInt()).isEqualTo(1);
        }
        assertThat(response.json().get("result_info").get("total_count").asInt()).isEqualTo(3);
        assertThat(assertSuccess(api().get("/zones/" + id + "/dns_records"))).isEqualTo(records);
        assertThat(contents(assertSuccess(api().get("/zones/" + id + "/dns_records?type=AAAA")))).containsExactly("AAAA 2001:db8::10");
    }

    @Test
    void aaaaRecordsDisappearWhileIpv6IsOffAndReturnWhenItIsOnAgain() {
        String id = new Fixtures(api()).zoneId("enterprise");
        assertSuccess(api().patch("/zones/" + id + "/settings/ipv6", "{\"value\":\"off\"}"));
        assertThat(contents(assertSuccess(api().get("/zones/" + id + "/dns_records")))).containsExactly("A 192.0.2.10", "A 192.0.2.11");
        assertSuccess(api().patch("/zones/" + id + "/settings/ipv6", "{\"value\":\"on\"}"));
        assertThat(contents(assertSuccess(api().get("/zones/" + id + "/dns_records")))).contains("AAAA 2001:db8::10");
    }

    @Test
    void unknownZoneHasNoDnsRecords() {
        assertFailure(api().get("/zones/0123456789abcdef0123456789abcdef/dns_records"), 404, 1001);
    }

    private static List<String> contents(JsonNode records) {
        List<String> result = new ArrayList<>();
        records.forEach(r -> result.add(r.get("type").asString() + " " + r.get("content").asString()));
        return result;
    }
}
