package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

@ExtendWith(OutputCaptureExtension.class)
class BearerAuthenticationTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    SecurityFixtures fixtures;
    String account;

    @BeforeEach
    void setUp() {
        fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
    }

    static void assertUnauthorized(ApiClient.Response response, String wwwAuthenticate) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo(10000);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.header("WWW-Authenticate")).hasValue(wwwAuthenticate);
        assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    }

    @Test
    void requestWithoutTokenIsRefusedWith401Code10000AndBearerChallenge() {
        assertUnauthorized(anonymous().get("/accounts/" + account + "/tokens"), "Bearer realm=\"zoneplane\"");
        assertUnauthorized(anonymous().get("/client/v4/accounts/" + account + "/tokens"), "Bearer realm=\"zoneplane\"");
        assertUnauthorized(anonymous().get("/user/tokens/verify"), "Bearer realm=\"zoneplane\"");
    }

    @Test
    void unknownPathsAlsoNeedATokenSoRoutesAreNotRevealed() {
        assertUnauthorized(anonymous().get("/no/such/route"), "Bearer realm=\"zoneplane\"");
        assertThat(api().get("/no/such/route").status()).isEqualTo(404);
    }

    @Test
    void malformedAuthorizationHeadersAreRefusedWith401() {
        String invalid = "Bearer realm=\"zoneplane\", error=\"invalid_token\"";
        String valid = fixtures.token(account, "account:admin").value();
        for (String header : new String[] {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token " + valid, valid,
                "Bearer " + valid + " extra", "Bearer tok\"en", "Bearer tøken", "Bearer " + "a".repeat(513)}) {
            ApiClient.Response response = anonymous().withHeader("Authorization", header).get("/user/tokens/verify");
            assertUnauthorized(response, invalid);
        }
    }

    @Test
    void bearerSchemeIsCaseInsensitiveAsRfc7235Says() {
        String valid = fixtures.token(account, "account:admin").value();
        assertThat(anonymous().withHeader("Authorization", "bearer " + valid).get("/user/tokens/verify").status()).isEqualTo(200);
        assertThat(anonymous().withHeader("Authorization", "BEARER " + valid).get("/user/tokens/verify").status()).isEqualTo(200);
    }

    @Test
    void unknownRevokedAndExpiredTokensGetTheSame401() {
        String invalid = "Bearer realm=\"zoneplane\", error=\"invalid_token\"";
        ApiClient.Response unknown = anonymous().withToken("zpt_" + "A".repeat(43)).get("/user/tokens/verify");
        ApiClient.Response revoked = anonymous().withToken(fixtures.revokedToken(account, "zone:read").value()).get("/user/tokens/verify");
        ApiClient.Response expired = anonymous().withToken(fixtures.expiredToken(account, "zone:read").value()).get("/user/tokens/verify");
        assertUnauthorized(unknown, invalid);
        assertUnauthorized(revoked, invalid);
        assertUnauthorized(expired, invalid);
        assertThat(revoked.json().get("errors")).isEqualTo(unknown.json().get("errors"));
        assertThat(expired.json().get("errors")).isEqualTo(unknown.json().get("errors"));
    }

    @Test
    void revocationTakesEffectOnTheVeryNextRequest() {
        SecurityFixtures.Issued token = fixtures.token(account, "account:admin");
        ApiClient client = anonymous().withToken(token.value());
        assertThat(client.get("/accounts/" + account + "/tokens").status()).isEqualTo(200);
        assertThat(client.delete("/accounts/" + account + "/tokens/" + token.id()).status()).isEqualTo(200);
        assertUnauthorized(client.get("/accounts/" + account + "/tokens"), "Bearer realm=\"zoneplane\", error=\"invalid_token\"");
    }

    @Test
    void healthOpenApiAndSwaggerUiNeedNoToken() {
        assertThat(anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous().get("/openapi.json").status()).isEqualTo(200);
        assertThat(anonymous().get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void actuatorBeyondHealthIsTheOperatorsOnly() {
        assertUnauthorized(anonymous().get("/actuator/prometheus"), "Bearer realm=\"zoneplane\"");
        ApiClient.Response tenant = anonymous().withToken(fixtures.token(account, "account:admin").value()).get("/actuator/prometheus");
        assertThat(tenant.status()).as(tenant.toString()).isEqualTo(403);
        assertThat(tenant.errorCode()).isEqualTo(9109);
        assertThat(api().get("/actuator/prometheus").status()).isEqualTo(200);
    }

    @Test
    void dotSegmentsCannotSmuggleAProtectedPathThroughAPublicOne() throws IOException {
        for (String path : new String[] {"/swagger-ui/../accounts/" + account + "/tokens",
                "/actuator/health/../../accounts/" + account + "/tokens", "/swagger-ui/%2e%2e/accounts/" + account + "/tokens",
                "/swagger-ui/..;/accounts/" + account + "/tokens", "/internal/..%2faccounts/" + account + "/tokens",
                "/client/v4/../accounts/" + account + "/tokens", "/accounts/" + account + "/tokens;x=y", "//accounts/" + account + "/tokens"}) {
            String answer = rawGet(path);
            // no token is sent: a path that slipped past authentication would reach the controller
            assertThat(answer).as(path).startsWith("HTTP/1.1 400");
            assertThat(answer).as(path).doesNotContain("\"result\":[");
            // refused by us or by Tomcat itself, the answer is the envelope, never a server page
            assertThat(answer).as(path).contains("\"success\":false").doesNotContainIgnoringCase("tomcat").doesNotContain("<html");
        }
    }

    @Test
    void everyAnswerCarriesHardeningHeadersAndARequestId() {
        for (ApiClient.Response response : new ApiClient.Response[] {anonymous().get("/user/tokens/verify"),
                api().get("/user/tokens/verify"), api().get("/no/such/route")}) {
            assertThat(response.header("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.header("Referrer-Policy")).hasValue("no-referrer");
            assertThat(response.header("Cache-Control")).hasValue("no-store");
            assertThat(response.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        }
    }

    @Test
    void aSafeCallerRequestIdIsEchoedAndAnUnsafeOneReplaced() {
        assertThat(api().withHeader("X-Request-Id", "trace-42.abc").get("/user/tokens/verify").header("X-Request-Id"))
                .hasValue("trace-42.abc");
        assertThat(api().withHeader("X-Request-Id", "evil\"<script>").get("/user/tokens/verify").header("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void verifyAnswersCloudflaresShape() {
        SecurityFixtures.Issued token = fixtures.token(account, "zone:read");
        JsonNode verified = anonymous().withToken(token.value()).get("/client/v4/user/tokens/verify").result();
        assertThat(verified.get("id").asString()).isEqualTo(token.id());
        assertThat(verified.get("status").asString()).isEqualTo("active");
        assertThat(verified.has("expires_on")).isFalse();

        JsonNode operator = api().get("/user/tokens/verify").result();
        assertThat(operator.get("id").asString()).isEqualTo("operator");
        assertThat(operator.get("status").asString()).isEqualTo("active");
    }

    @Test
    void tokensNeverAppearInTheLogs(CapturedOutput output) {
        SecurityFixtures.Issued token = fixtures.token(account, "account:admin");
        anonymous().withToken(token.value()).get("/user/tokens/verify");
        anonymous().withToken(token.value() + "x").get("/user/tokens/verify");
        anonymous().withHeader("Authorization", "Bearer " + token.value() + " junk").get("/user/tokens/verify");
        assertThat(output.getAll()).doesNotContain(token.value()).doesNotContain(OPERATOR_TOKEN);
        String digest = HexFormat.of().formatHex(TokenDigest.sha256(token.value()));
        assertThat(output.getAll()).doesNotContain(digest);
    }

    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
