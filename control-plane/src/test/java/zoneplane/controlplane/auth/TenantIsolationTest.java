package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/** Lists, filters and paging never widen a token's view beyond its account (and its zone list). */
class TenantIsolationTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    Fixtures zonesApi;
    SecurityFixtures fixtures;
    String tenantA;
    String tenantB;
    String zoneA1;
    String zoneA2;
    String zoneB;

    @BeforeEach
    void setUp() {
        zonesApi = new Fixtures(api());
        fixtures = new SecurityFixtures(api(), jdbc);
        tenantA = zonesApi.account();
        tenantB = zonesApi.account();
        zoneA1 = zonesApi.zone(tenantA, Fixtures.uniqueName(), "free").get("id").asString();
        zoneA2 = zonesApi.zone(tenantA, Fixtures.uniqueName(), "free").get("id").asString();
        zoneB = zonesApi.zone(tenantB, Fixtures.uniqueName(), "free").get("id").asString();
    }

    static List<String> ids(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode item : response.result()) {
            ids.add(item.get("id").asString());
        }
        return ids;
    }

    @Test
    void aTokenListsOnlyItsAccountsZonesWhateverFilterItSends() {
        ApiClient reader = anonymous().withToken(fixtures.token(tenantA, "zone:read").value());
        assertThat(ids(reader.get("/zones?per_page=50"))).contains(zoneA1, zoneA2).doesNotContain(zoneB);
        ApiClient.Response otherAccount = reader.get("/zones?account.id=" + tenantB);
        assertThat(ids(otherAccount)).isEmpty();
        assertThat(otherAccount.json().get("result_info").get("total_count").asInt()).isZero();
        String nameOfB = api().get("/zones/" + zoneB).result().get("name").asString();
        assertThat(ids(reader.get("/zones?name=" + nameOfB))).isEmpty();
        assertThat(ids(reader.get("/zones?per_page=1&page=3"))).isEmpty();
    }

    @Test
    void aZoneLimitedTokenSeesAndReachesOnlyItsZones() {
        ApiClient scoped = anonymous().withToken(fixtures.token(tenantA, List.of("zone:read", "zone_settings:edit"), List.of(zoneA1)).value());
        assertThat(ids(scoped.get("/zones"))).containsExactly(zoneA1);
        assertThat(scoped.get("/zones/" + zoneA1).status()).isEqualTo(200);
        assertThat(scoped.get("/zones/" + zoneA2).status()).isEqualTo(404);
        assertThat(scoped.patch("/zones/" + zoneA1 + "/settings/grpc", "{\"value\":\"on\"}").status()).isEqualTo(200);
        ApiClient.Response elsewhere = scoped.patch("/zones/" + zoneA2 + "/settings/grpc", "{\"value\":\"on\"}");
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.errorCode()).isEqualTo(1001);
        ApiClient.Response create = scoped.post("/zones", "{\"account\":{\"id\":\"" + tenantA + "\"},\"name\":\"" + Fixtures.uniqueName() + "\"}");
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
    }

    @Test
    void accountsAreTheOperatorsToCreateAndATokenSeesOnlyItsOwn() {
        ApiClient admin = anonymous().withToken(fixtures.token(tenantA, "account:admin").value());
        assertThat(ids(admin.get("/accounts"))).containsExactly(tenantA);
        assertThat(admin.get("/accounts/" + tenantA).status()).isEqualTo(200);
        assertThat(admin.get("/accounts/" + tenantB).status()).isEqualTo(404);
        ApiClient.Response create = admin.post("/accounts", "{\"name\":\"Mine now\"}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.errorCode()).isEqualTo(9109);
        assertThat(ids(api().get("/accounts?per_page=50"))).contains(tenantA, tenantB);
    }

    @Test
    void creatingAZoneInAnotherAccountAnswersAsIfThatAccountDidNotExist() {
        ApiClient editor = anonymous().withToken(fixtures.token(tenantA, "zone:edit").value());
        ApiClient.Response foreign = editor.post("/zones", "{\"account\":{\"id\":\"" + tenantB + "\"},\"name\":\"" + Fixtures.uniqueName() + "\"}");
        ApiClient.Response unknown = editor.post("/zones", "{\"account\":{\"id\":\"" + SecurityFixtures.newId() + "\"},\"name\":\""
                + Fixtures.uniqueName() + "\"}");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("errors")).isEqualTo(unknown.json().get("errors"));
    }

    @Test
    void anotherTenantsZoneAnswersExactlyLikeAZoneThatDoesNotExist() {
        ApiClient all = anonymous().withToken(fixtures.token(tenantA, "zone:read", "zone:edit", "zone_settings:read",
                "zone_settings:edit").value());
        String missing = SecurityFixtures.newId();
        for (String suffix : new String[] {"", "/settings", "/settings/ipv6", "/dns_records", "/propagation"}) {
            ApiClient.Response theirs = all.get("/zones/" + zoneB + suffix);
            ApiClient.Response nobodys = all.get("/zones/" + missing + suffix);
            assertThat(theirs.status()).as(suffix).isEqualTo(404);
            assertThat(theirs.body().replace(zoneB, "ID")).as(suffix).isEqualTo(nobodys.body().replace(missing, "ID"));
        }
        // a body that would not even validate still learns nothing: the zone check comes first
        assertThat(all.patch("/zones/" + zoneB + "/settings/ipv6", "{\"value\":\"bogus\"}").status()).isEqualTo(404);
        assertThat(all.patch("/zones/" + zoneB, "{\"nonsense\":1}").status()).isEqualTo(404);
    }

    @Test
    void aDeletedZoneIsGoneForItsOwnTokensAndStillUnknownToOthersOnceTheGateHasSeenIt() {
        ApiClient owner = anonymous().withToken(fixtures.token(tenantA, "zone:read", "zone:edit", "zone_settings:read",
                "zone_settings:edit").value());
        ApiClient other = anonymous().withToken(fixtures.token(tenantB, "zone:read", "zone:edit", "zone_settings:read",
                "zone_settings:edit").value());
        // both gates have now seen the zone and who owns it
        assertThat(owner.patch("/zones/" + zoneA1 + "/settings/websockets", "{\"value\":\"off\"}").status()).isEqualTo(200);
        assertThat(other.get("/zones/" + zoneA1 + "/settings").status()).isEqualTo(404);

        assertThat(api().delete("/zones/" + zoneA1).status()).isEqualTo(200);

        for (ApiClient caller : List.of(owner, other)) {
            for (ApiClient.Response answer : List.of(
                    caller.get("/zones/" + zoneA1),
                    caller.get("/zones/" + zoneA1 + "/settings"),
                    caller.get("/zones/" + zoneA1 + "/settings/websockets"),
                    caller.patch("/zones/" + zoneA1 + "/settings/websockets", "{\"value\":\"on\"}"),
                    caller.patch("/zones/" + zoneA1 + "/settings", "{\"items\":[{\"id\":\"websockets\",\"value\":\"on\"}]}"),
                    caller.get("/zones/" + zoneA1 + "/dns_records"),
                    caller.get("/zones/" + zoneA1 + "/propagation"),
                    caller.patch("/zones/" + zoneA1, "{\"paused\":true}"),
                    caller.delete("/zones/" + zoneA1))) {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
                assertThat(answer.errorCode()).as(answer.toString()).isEqualTo(1001);
            }
        }
    }
}
