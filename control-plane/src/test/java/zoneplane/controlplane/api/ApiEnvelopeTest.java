package zoneplane.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

class ApiEnvelopeTest extends ControlPlaneIntegrationTest {

    /** The envelope keys of a failure, with nothing else in it. */
    static void assertFailureEnvelope(ApiClient.Response response, int status, int code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode json = response.json();
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("success", "errors", "messages", "result");
        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.get("result").isNull()).isTrue();
        assertThat(json.get("messages").isArray()).isTrue();
        assertThat(json.get("errors").size()).isEqualTo(1);
        assertThat(json.get("errors").get(0).get("code").asInt()).isEqualTo(code);
        assertThat(json.get("errors").get(0).get("message").asString()).isNotBlank();
        assertThat(response.body()).doesNotContainIgnoringCase("exception").doesNotContain("zoneplane.").doesNotContain("at org.");
    }

    @Test
    void unknownPathAnswers404InTheEnvelopeAtRootAndUnderClientV4() {
        assertFailureEnvelope(api().get("/no/such/thing"), 404, 7000);
        assertFailureEnvelope(api().get("/client/v4/no/such/thing"), 404, 7000);
    }

    @Test
    void openApiDocumentIsServedAtOpenapiJsonWithTheErrorCodeTable() {
        ApiClient.Response doc = api().get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        String description = doc.json().get("info").get("description").asString();
        for (ApiErrorCode code : ApiErrorCode.values()) {
            assertThat(description).contains("| " + code.code() + " | " + code.status().value());
        }
        ApiClient.Response prefixed = api().get("/client/v4/openapi.json");
        assertThat(prefixed.json().has("openapi")).as(prefixed.toString()).isTrue();
    }

    @Test
    void swaggerUiIsServed() {
        ApiClient.Response ui = api().get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger");
    }
}
