package zoneplane.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

@TestPropertySource(properties = "zoneplane.api.max-body-size=2KB")
class ApiEnvelopeTest extends ControlPlaneIntegrationTest {

    private String settingPath;

    @BeforeEach
    void zone() {
        settingPath = "/zones/" + new Fixtures(api()).zoneId("free") + "/settings/websockets";
    }

    @Test
    void unknownPathAnswers404InTheEnvelopeAtRootAndUnderClientV4() {
        assertFailure(api().get("/no/such/thing"), 404, 7000);
        assertFailure(api().get("/client/v4/no/such/thing"), 404, 7000);
    }

    @Test
    void wrongMethodAnswers405WithAllowHeaderInTheEnvelope() {
        ApiClient.Response response = api().send("PUT", settingPath, "{\"value\":\"off\"}", "application/json");
        assertFailure(response, 405, 7001);
        assertThat(response.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("PATCH", "GET"));
        assertFailure(api().send("POST", "/client/v4" + settingPath, "{}", "application/json"), 405, 7001);
    }

    @Test
    void bodyWithoutJsonContentTypeAnswers415() {
        assertFailure(api().send("PATCH", settingPath, "{\"value\":\"off\"}", "text/plain"), 415, 6003);
        assertFailure(api().send("PATCH", settingPath, "value=off", "application/x-www-form-urlencoded"), 415, 6003);
        assertFailure(api().send("PATCH", settingPath, "{\"value\":\"off\"}", null), 415, 6003);
    }

    @Test
    void malformedJsonAnswers400WithCode6007() {
        assertFailure(api().patch(settingPath, "{\"value\": \"off\""), 400, 6007);
        assertFailure(api().patch(settingPath, "{value: off}"), 400, 6007);
        assertFailure(api().patch(settingPath, ""), 400, 6007);
        assertFailure(api().patch(settingPath, "{\"value\":\"on\",\"value\":\"off\"}"), 400, 6007);
        assertFailure(api().patch(settingPath, "{\"value\":\"off\"} trailing"), 400, 6007);
    }

    @Test
    void bodyThatIsJsonButNoObjectAnswers400WithCode1003() {
        assertFailure(api().patch(settingPath, "[\"off\"]"), 400, 1003);
        assertFailure(api().patch(settingPath, "\"off\""), 400, 1003);
    }

    @Test
    void bodyAboveTheConfiguredLimitAnswers413ByContentLength() {
        String big = "{\"value\":\"" + "x".repeat(4096) + "\"}";
        assertFailure(api().patch(settingPath, big), 413, 9413);
    }

    @Test
    void chunkedBodyAboveTheLimitAnswers413WhileBeingRead() throws Exception {
        byte[] part = ("{\"value\":\"" + "x".repeat(4096) + "\"}").getBytes();
        // ofInputStream has no known length, so the JDK client sends it chunked, without Content-Length.
        HttpRequest request = HttpRequest.newBuilder(URI.create(api().baseUrl() + settingPath))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        Collections.enumeration(List.<InputStream>of(new java.io.ByteArrayInputStream(part))))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":9413");
    }

    @Test
    void clientsAcceptingOnlyOtherTypesStillGetTheJsonEnvelope() {
        ApiClient.Response ok = api().withHeader("Accept", "text/html").get(settingPath);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("success").asBoolean()).isTrue();
        assertFailure(api().withHeader("Accept", "text/html").get("/zones/0123456789abcdef0123456789abcdef"), 404, 1001);
        assertFailure(api().withHeader("Accept", "text/html").get("/no/such/thing"), 404, 7000);
    }

    @Test
    void openApiDocumentIsServedAtOpenapiJsonWithTheErrorCodeTable() {
        ApiClient.Response doc = api().get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        String description = doc.json().get("info").get("description").asString();
        for (ApiErrorCode code : ApiErrorCode.values()) {
            assertThat(description).contains("| " + code.code() + " | " + code.status().value());
        }
        assertThat(doc.json().get("paths").propertyNames()).contains(
                "/accounts", "/accounts/{account_id}", "/zones", "/zones/{zone_id}", "/zones/{zone_id}/settings",
                "/zones/{zone_id}/settings/{setting_id}", "/zones/{zone_id}/dns_records");
        assertThat(doc.body()).doesNotContain("AccountScope");
        doc.json().get("paths").forEach(path -> path.forEach(operation ->
                assertThat(operation.get("responses").has("default")).as("error envelope documented").isTrue()));
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
