package zoneplane.controlplane.account;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertSuccess;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

class AccountApiTest extends ControlPlaneIntegrationTest {

    @Test
    void createdAccountHasARandomHexIdAndCanBeReadBackAtBothBases() {
        JsonNode created = assertSuccess(api().post("/accounts", "{\"name\":\"  Example Ltd \"}"));
        String id = created.get("id").asString();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(created.get("name").asString()).isEqualTo("Example Ltd");
        assertThat(created.get("created_on").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        assertThat(assertSuccess(api().get("/accounts/" + id))).isEqualTo(created);
        assertThat(assertSuccess(api().get("/client/v4/accounts/" + id))).isEqualTo(created);
    }

    @Test
    void accountsAreListedWithCloudflarePaging() {
        for (int i = 0; i < 3; i++) {
            assertSuccess(api().post("/accounts", "{\"name\":\"paged " + i + "\"}"));
        }
        ApiClient.Response page = api().get("/accounts?per_page=2&page=1");
        assertThat(assertSuccess(page).size()).isEqualTo(2);
        JsonNode info = page.json().get("result_info");
        assertThat(info.get("page").asInt()).isEqualTo(1);
        assertThat(info.get("per_page").asInt()).isEqualTo(2);
        assertThat(info.get("count").asInt()).isEqualTo(2);
        long total = info.get("total_count").asLong();
        assertThat(total).isGreaterThanOrEqualTo(3);
        assertThat(info.get("total_pages").asLong()).isEqualTo((total + 1) / 2);
    }

    @Test
    void unknownAccountIs404WithCode1002() {
        assertFailure(api().get("/accounts/0123456789abcdef0123456789abcdef"), 404, 1002);
        assertFailure(api().get("/accounts/not-an-id"), 404, 1002);
    }

    @Test
    void invalidAccountBodiesAre400() {
        assertFailure(api().post("/accounts", "{}"), 400, 1003);
        assertFailure(api().post("/accounts", "{\"name\":\"\"}"), 400, 1003);
        assertFailure(api().post("/accounts", "{\"name\":\"" + "n".repeat(201) + "\"}"), 400, 1003);
        assertFailure(api().post("/accounts", "{\"name\":7}"), 400, 1003);
        assertFailure(api().post("/accounts", "{\"name\":\"x\",\"admin\":true}"), 400, 1003);
    }

    @Test
    void badPagingParametersAre400() {
        assertFailure(api().get("/accounts?per_page=51"), 400, 1003);
        assertFailure(api().get("/accounts?per_page=0"), 400, 1003);
        assertFailure(api().get("/accounts?page=0"), 400, 1003);
        assertFailure(api().get("/accounts?page=abc"), 400, 1003);
    }
}
