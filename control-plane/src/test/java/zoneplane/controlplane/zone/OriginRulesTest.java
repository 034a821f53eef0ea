package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Issue 20 item 1 through real HTTP, with the production default (private origins not allowed): a
 * corpus of origins that point at the operator's own network, in every literal form a resolver
 * takes, and of invalid ports, is refused on creation and on edit with 400 in the envelope (9003,
 * or 1003 for the forms that name no valid host at all), and nothing is stored; public addresses
 * and host names are accepted.
 */
@ActiveProfiles(value = "production-origin-rule", inheritProfiles = false)
class OriginRulesTest extends ControlPlaneIntegrationTest {

    static Stream<String> prohibited() {
        return Stream.of(
                "http://127.0.0.1", "http://127.0.0.1:9000", "https://127.0.0.1/metrics", "http://127.1", "http://127.0.1",
                "http://2130706433", "http://0x7f000001", "http://0x7f.0.0.1", "http://0177.0.0.1", "http://017700000001",
                "http://127.0.0.1.", "http://127.255.255.254:8080", "http://0.0.0.0", "http://0", "http://0.0.0.0:8080",
                "http://10.0.0.1", "http://10.255.255.255", "http://172.16.0.1", "http://172.31.255.255",
                "http://192.168.0.1", "http://192.168.255.255:8443", "http://100.64.0.1", "http://100.127.255.255",
                "http://169.254.169.254", "http://169.254.169.254/latest/meta-data/", "http://0xa9fea9fe",
                "http://2852039166", "http://169.254.0.1", "http://224.0.0.1", "http://239.255.255.250",
                "http://255.255.255.255", "http://240.0.0.1", "http://[::1]", "http://[::1]:9000", "http://[0:0:0:0:0:0:0:1]",
                "http://[::]", "http://[::ffff:127.0.0.1]", "http://[::ffff:7f00:1]", "http://[::ffff:169.254.169.254]",
                "http://[::ffff:10.0.0.1]", "http://[fe80::1]", "http://[FE80::1]", "http://[febf::1]", "http://[fc00::1]",
                "http://[fd00:ec2::254]", "http://[ff02::1]", "http://[64:ff9b::a9fe:a9fe]", "http://[2002:7f00:1::1]",
                "http://localhost", "http://localhost:9000", "http://LOCALHOST", "http://api.localhost", "http://localhost.",
                "HTTP://127.0.0.1", "https://[::1]:443/");
    }

    static Stream<String> badPorts() {
        return Stream.of("http://203.0.113.10:0", "http://203.0.113.10:65536", "http://203.0.113.10:99999",
                "http://origin.example.net:0", "https://origin.example.net:100000", "http://[2001:db8::1]:65536");
    }

    static Stream<String> accepted() {
        return Stream.of("http://203.0.113.10", "http://203.0.113.10:8080", "https://origin.example.net",
                "http://origin.example.net:65535/app", "http://[2606:4700::1111]", "http://8.8.8.8:1",
                "http://172.32.0.1", "http://100.128.0.1", "http://localhost.example.com");
    }

    @ParameterizedTest(name = "create with {0}")
    @MethodSource("prohibited")
    void aProhibitedOriginIsRefusedOnCreationAndNothingIsStored(String origin) {
        String name = Fixtures.uniqueName();
        ApiClient.Response response = create(new Fixtures(api()).account(), name, origin);
        assertThat(response.status()).isEqualTo(400);
        if (response.errorCode() == 9003) {
            assertThat(response.json().get("errors").get(0).get("message").asString()).contains("prohibited IP")
                    .contains("not allowed as a zone origin");
        } else {
            // 127.1, 0x7f.0.0.1, "127.0.0.1.": java.net.URI sees no valid host in them (its rule for a
            // name's last label), so they are refused as naming no host, before any address rule
            assertThat(response.errorCode()).isEqualTo(1003);
            assertThat(response.json().get("errors").get(0).get("message").asString()).contains("must name a host");
        }
        assertNothingStored(name);
    }

    @ParameterizedTest(name = "create with {0}")
    @MethodSource("badPorts")
    void aPortOutsideOneTo65535IsRefusedAndNothingIsStored(String origin) {
        String name = Fixtures.uniqueName();
        ApiClient.Response response = create(new Fixtures(api()).account(), name, origin);
        assertFailure(response, 400, 1003);
        assertThat(response.json().get("errors").get(0).get("message").asString()).contains("origin");
        assertNothingStored(name);
    }

    @ParameterizedTest(name = "edit to {0}")
    @MethodSource({"prohibited", "badPorts"})
    void anEditToAProhibitedOriginIsRefusedAndTheOriginIsKept(String origin) {
        String zoneId = assertSuccess(create(new Fixtures(api()).account(), Fixtures.uniqueName(), "http://203.0.113.10:8080"))
                .get("id").asString();
        ApiClient.Response response = api().patch("/zones/" + zoneId, "{\"origin\":" + quote(origin) + "}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isIn(9003, 1003);
        assertThat(response.header("Zoneplane-Revision")).isEmpty();
        assertThat(assertSuccess(api().get("/zones/" + zoneId)).get("origin").asString()).isEqualTo("http://203.0.113.10:8080");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void publicAddressesAndHostNamesAreAccepted(String origin) {
        JsonNode zone = assertSuccess(create(new Fixtures(api()).account(), Fixtures.uniqueName(), origin));
        assertThat(zone.get("origin").asString()).isEqualToIgnoringCase(origin);
    }

    @Test
    void aTenantTokenIsRefusedTheSameWay() {
        String account = new Fixtures(api()).account();
        String token = assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"t\",\"permissions\":[\"zone:read\",\"zone:edit\"]}")).get("value").asString();
        ApiClient tenant = anonymous().withToken(token);
        for (String origin : List.of("http://169.254.169.254", "http://[::ffff:127.0.0.1]:9000", "http://localhost")) {
            assertFailure(tenant.post("/zones", body(account, Fixtures.uniqueName(), origin)), 400, 9003);
        }
    }

    private ApiClient.Response create(String accountId, String name, String origin) {
        return api().post("/zones", body(accountId, name, origin));
    }

    private void assertNothingStored(String name) {
        JsonNode listed = api().get("/zones?name=" + name).json();
        assertThat(listed.get("result").size()).as("zone %s stored", name).isZero();
    }

    private static String body(String accountId, String name, String origin) {
        return "{\"account\":{\"id\":\"" + accountId + "\"},\"name\":\"" + name + "\",\"origin\":" + quote(origin) + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
