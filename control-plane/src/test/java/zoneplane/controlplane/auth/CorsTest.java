package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

/**
 * A browser dashboard on an allowed origin may call the API with a bearer token; other origins may
 * not. The test base allows https://admin.example.com and http://127.0.0.1:3000.
 */
class CorsTest extends ControlPlaneIntegrationTest {

    ApiClient.Response preflight(String origin) {
        return anonymous().withHeader("Origin", origin).withHeader("Access-Control-Request-Method", "PATCH")
                .withHeader("Access-Control-Request-Headers", "authorization,content-type")
                .send("OPTIONS", "/zones/0123456789abcdef0123456789abcdef/settings/ipv6", null, null);
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredBeforeAuthentication() {
        ApiClient.Response answer = preflight("https://admin.example.com");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).hasValue("https://admin.example.com");
        assertThat(answer.header("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH");
        assertThat(answer.header("Access-Control-Allow-Headers").orElseThrow().toLowerCase()).contains("authorization");
        assertThat(answer.header("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void preflightFromAnyOtherOriginIsRefused() {
        ApiClient.Response answer = preflight("https://evil.example.net");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void actualCrossOriginCallsExposeTheRateLimitAndRevisionHeadersEvenWhenRefused() {
        ApiClient.Response ok = api().withHeader("Origin", "http://127.0.0.1:3000").get("/user/tokens/verify");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:3000");
        assertThat(ok.header("Access-Control-Expose-Headers").orElseThrow()).contains("X-RateLimit-Remaining")
                .contains("Zoneplane-Revision").contains("Retry-After");
        ApiClient.Response refused = anonymous().withHeader("Origin", "http://127.0.0.1:3000").get("/user/tokens/verify");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:3000");
    }
}
