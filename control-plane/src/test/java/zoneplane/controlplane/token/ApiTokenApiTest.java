package zoneplane.controlplane.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.auth.TokenDigest;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

class ApiTokenApiTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    SecurityFixtures fixtures;
    String account;

    @BeforeEach
    void setUp() {
        fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
    }

    ApiClient.Response create(String body) {
        return api().post("/accounts/" + account + "/tokens", body);
    }

    @Test
    void createdTokenShowsItsValueOnceAndStoresOnlyItsSha256() {
        ApiClient.Response created = create("{\"name\":\"deploy\",\"permissions\":[\"zone_settings:edit\",\"zone:read\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode token = created.result();
        String value = token.get("value").asString();
        assertThat(value).matches("zpt_[A-Za-z0-9_-]{43}");
        assertThat(token.get("id").asString()).matches("[0-9a-f]{32}");
        assertThat(token.get("status").asString()).isEqualTo("active");
        assertThat(token.get("zones").isNull()).isTrue();
        // answered in the catalogue's order, whatever order they were asked in
        assertThat(token.get("permissions").toString()).isEqualTo("[\"zone:read\",\"zone_settings:edit\"]");

        Map<String, Object> row = jdbc.sql("select * from api_tokens where id = :id").param("id", token.get("id").asString())
                .query().singleRow();
        assertThat((byte[]) row.get("token_hash")).isEqualTo(TokenDigest.sha256(value));
        assertThat(row.values().stream().map(String::valueOf)).noneMatch(v -> v.contains(value.substring(4)));

        ApiClient.Response listed = api().get("/accounts/" + account + "/tokens");
        ApiClient.Response read = api().get("/accounts/" + account + "/tokens/" + token.get("id").asString());
        for (ApiClient.Response answer : List.of(listed, read)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).doesNotContain(value.substring(4)).doesNotContain("\"value\"")
                    .doesNotContain(HexFormat.of().formatHex(TokenDigest.sha256(value)));
        }
        assertThat(read.result().get("name").asString()).isEqualTo("deploy");
    }

    @Test
    void twoTokensNeverShareAValue() {
        String first = fixtures.token(account, "zone:read").value();
        String second = fixtures.token(account, "zone:read").value();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void zoneScopedTokenListsItsZonesAndExpiryIsReported() {
        String zone = fixtures.zone(account);
        String expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        ApiClient.Response created = create("{\"name\":\"one zone\",\"permissions\":[\"zone_settings:read\"],\"zones\":[\"" + zone
                + "\"],\"expires_on\":\"" + expires + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.result().get("zones").toString()).isEqualTo("[\"" + zone + "\"]");
        assertThat(Instant.parse(created.result().get("expires_on").asString())).isEqualTo(Instant.parse(expires));

        JsonNode verified = anonymous().withToken(created.result().get("value").asString()).get("/user/tokens/verify").result();
        assertThat(Instant.parse(verified.get("expires_on").asString())).isEqualTo(Instant.parse(expires));
        assertThat(verified.get("permissions").toString()).isEqualTo("[\"zone_settings:read\"]");
        assertThat(verified.get("account_id").asString()).isEqualTo(account);
        assertThat(verified.get("status").asString()).isEqualTo("active");
    }

    @Test
    void invalidBodiesAreRefusedWith400NamingTheField() {
        String otherZone = fixtures.zone(fixtures.account());
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"permissions\":[\"zone:read\"]}", "name"),
                Map.entry("{\"name\":\"\",\"permissions\":[\"zone:read\"]}", "name"),
                Map.entry("{\"name\":\"" + "n".repeat(121) + "\",\"permissions\":[\"zone:read\"]}", "name"),
                Map.entry("{\"name\":\"a\\u0000b\",\"permissions\":[\"zone:read\"]}", "name"),
                Map.entry("{\"name\":7,\"permissions\":[\"zone:read\"]}", "name"),
                Map.entry("{\"name\":\"x\"}", "permissions"),
                Map.entry("{\"name\":\"x\",\"permissions\":[]}", "permissions"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:admin\"]}", "permissions"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\",\"zone:read\"]}", "permissions"),
                Map.entry("{\"name\":\"x\",\"permissions\":\"zone:read\"}", "permissions"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\"],\"zones\":[]}", "zones"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\"],\"zones\":[\"ABC\"]}", "zones"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\"],\"zones\":[\"" + otherZone + "\"]}", "zones"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"account:admin\"],\"zones\":[\"" + otherZone + "\"]}", "zones"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\"],\"expires_on\":\"2001-01-01T00:00:00Z\"}", "expires_on"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\"],\"expires_on\":\"tomorrow\"}", "expires_on"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"zone:read\"],\"admin\":true}", "admin"));
        String before = fixtures.fingerprint();
        cases.forEach((body, field) -> {
            ApiClient.Response refused = create(body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).as(body).isEqualTo(1003);
            assertThat(refused.json().get("errors").get(0).get("message").asString()).as(body).contains(field);
        });
        assertThat(api().send("POST", "/accounts/" + account + "/tokens", "{\"name\":", "application/json").status()).isEqualTo(400);
        assertThat(api().send("POST", "/accounts/" + account + "/tokens", "name=x", "application/x-www-form-urlencoded").status())
                .isEqualTo(415);
        assertThat(fixtures.fingerprint()).isEqualTo(before);
    }

    @Test
    void revokingIsIdempotentAndKeepsTheTokenVisibleAsRevoked() {
        SecurityFixtures.Issued token = fixtures.token(account, "zone:read");
        ApiClient.Response first = api().delete("/accounts/" + account + "/tokens/" + token.id());
        assertThat(first.result().get("status").asString()).isEqualTo("revoked");
        String before = fixtures.fingerprint();
        ApiClient.Response again = api().delete("/accounts/" + account + "/tokens/" + token.id());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.result().get("revoked_on").asString()).isEqualTo(first.result().get("revoked_on").asString());
        assertThat(fixtures.fingerprint()).isEqualTo(before);
        assertThat(api().get("/accounts/" + account + "/tokens/" + token.id()).result().get("status").asString()).isEqualTo("revoked");
    }

    @Test
    void unknownTokenOrAccountAnswers404() {
        assertThat(api().get("/accounts/" + account + "/tokens/" + SecurityFixtures.newId()).errorCode()).isEqualTo(9404);
        assertThat(api().delete("/accounts/" + account + "/tokens/" + SecurityFixtures.newId()).status()).isEqualTo(404);
        ApiClient.Response noAccount = api().get("/accounts/" + SecurityFixtures.newId() + "/tokens");
        assertThat(noAccount.status()).isEqualTo(404);
        assertThat(noAccount.errorCode()).isEqualTo(1002);
    }

    @Test
    void anotherAccountsTokenIsNotFoundThroughThisAccount() {
        String other = fixtures.account();
        SecurityFixtures.Issued theirs = fixtures.token(other, "zone:read");
        assertThat(api().get("/accounts/" + account + "/tokens/" + theirs.id()).status()).isEqualTo(404);
        assertThat(api().delete("/accounts/" + account + "/tokens/" + theirs.id()).status()).isEqualTo(404);
        assertThat(anonymous().withToken(theirs.value()).get("/user/tokens/verify").status()).isEqualTo(200);
    }

    @Test
    void accountAdminTokenManagesItsOwnAccountsTokens() {
        ApiClient admin = anonymous().withToken(fixtures.token(account, "account:admin").value());
        ApiClient.Response created = admin.post("/accounts/" + account + "/tokens", "{\"name\":\"minted\",\"permissions\":[\"zone:read\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        ApiClient.Response list = admin.get("/accounts/" + account + "/tokens?per_page=1&page=1");
        assertThat(list.json().get("result_info").get("total_count").asInt()).isEqualTo(2);
        assertThat(list.result().size()).isEqualTo(1);
        assertThat(list.result().get(0).get("name").asString()).isEqualTo("minted");
    }
}
