package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

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

    static final String CHALLENGE = "Bearer realm=\"zoneplane\"";
    static final String INVALID_TOKEN = CHALLENGE + ", error=\"invalid_token\"";

    /** A well-formed token that is unknown, revoked or expired: 401, code 1000 on verify and 10000 elsewhere. */
    static void assertUnauthorized(ApiClient.Response response, String wwwAuthenticate) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).isIn(1000, 10000);
        assertRefusal(response, wwwAuthenticate);
    }

    /** No credentials at all: Cloudflare's 400 with code 9106. */
    static void assertMissingCredentials(ApiClient.Response response) {
        assertFailure(response, 400, 9106);
        assertThat(response.json().get("errors").get(0).get("message").asString())
                .isEqualTo("Missing X-Auth-Key, X-Auth-Email or Authorization headers");
        assertRefusal(response, CHALLENGE);
    }

    /** An Authorization header that is not a bearer token: Cloudflare's 400/6003 with 6111 in the error chain. */
    static void assertMalformed(ApiClient.Response response) {
        assertFailure(response, 400, 6003);
        JsonNode error = response.json().get("errors").get(0);
        assertThat(error.get("message").asString()).isEqualTo("Invalid request headers");
        assertThat(error.get("error_chain").size()).isEqualTo(1);
        assertThat(error.get("error_chain").get(0).get("code").asInt()).isEqualTo(6111);
        assertThat(error.get("error_chain").get(0).get("message").asString()).isEqualTo("Invalid format for Authorization header");
        assertRefusal(response, CHALLENGE + ", error=\"invalid_request\"");
    }

    private static void assertRefusal(ApiClient.Response response, String wwwAuthenticate) {
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.header("WWW-Authenticate")).hasValue(wwwAuthenticate);
        assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    }

    @Test
    void requestWithoutTokenIsRefusedWith400Code9106AndBearerChallenge() {
        assertMissingCredentials(anonymous().get("/accounts/" + account + "/tokens"));
        assertMissingCredentials(anonymous().get("/client/v4/accounts/" + account + "/tokens"));
        assertMissingCredentials(anonymous().get("/user/tokens/verify"));
    }

    @Test
    void unknownPathsAlsoNeedATokenSoRoutesAreNotRevealed() {
        assertMissingCredentials(anonymous().get("/no/such/route"));
        assertThat(api().get("/no/such/route").status()).isEqualTo(404);
    }

    @Test
    void malformedAuthorizationHeadersAreRefusedWith400Code6003Chain6111() {
        String valid = fixtures.token(account, "account:admin").value();
        for (String header : new String[] {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token " + valid, valid,
                "Bearer " + valid + " extra", "Bearer tok\"en", "Bearer tøken", "Bearer " + "a".repeat(513)}) {
            assertMalformed(anonymous().withHeader("Authorization", header).get("/user/tokens/verify"));
            assertMalformed(anonymous().withHeader("Authorization", header).get("/zones"));
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
        String revokedToken = fixtures.revokedToken(account, "zone:read").value();
        String expiredToken = fixtures.expiredToken(account, "zone:read").value();
        for (String path : new String[] {"/user/tokens/verify", "/zones"}) {
            ApiClient.Response unknown = anonymous().withToken("zpt_" + "A".repeat(43)).get(path);
            ApiClient.Response revoked = anonymous().withToken(revokedToken).get(path);
            ApiClient.Response expired = anonymous().withToken(expiredToken).get(path);
            // Cloudflare: verify says 1000 "Invalid API Token", other endpoints 10000 "Authentication error"
            int code = path.equals("/user/tokens/verify") ? 1000 : 10000;
            for (ApiClient.Response response : List.of(unknown, revoked, expired)) {
                assertFailure(response, 401, code);
                assertUnauthorized(response, INVALID_TOKEN);
            }
            assertThat(revoked.json().get("errors")).isEqualTo(unknown.json().get("errors"));
            assertThat(expired.json().get("errors")).isEqualTo(unknown.json().get("errors"));
        }
        assertThat(anonymous().withToken("zpt_" + "A".repeat(43)).get("/user/tokens/verify").json().get("errors").get(0)
                .get("message").asString()).isEqualTo("Invalid API Token");
    }

    @Test
    void verifyingAValidTokenSaysSoInMessagesAsCloudflareDoes() {
        ApiClient.Response verified = anonymous().withToken(fixtures.token(account, "zone:read").value()).get("/user/tokens/verify");
        assertThat(verified.status()).isEqualTo(200);
        JsonNode messages = verified.json().get("messages");
        assertThat(messages.size()).isEqualTo(1);
        assertThat(messages.get(0).get("code").asInt()).isEqualTo(10000);
        assertThat(messages.get(0).get("message").asString()).isEqualTo("This API Token is valid and active");
        assertThat(verified.result().get("status").asString()).isEqualTo("active");
    }

    @Test
    void revocationTakesEffectOnTheVeryNextRequest() {
        SecurityFixtures.Issued token = fixtures.token(account, "account:admin");
        ApiClient client = anonymous().withToken(token.value());
        assertThat(client.get("/accounts/" + account + "/tokens").status()).isEqualTo(200);
        assertThat(client.delete("/accounts/" + account + "/tokens/" + token.id()).status()).isEqualTo(200);
        assertUnauthorized(client.get("/accounts/" + account + "/tokens"), INVALID_TOKEN);
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
        assertMissingCredentials(anonymous().get("/actuator/prometheus"));
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
