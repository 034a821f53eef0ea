package zoneplane.controlplane.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.NodeRuntime;
import zoneplane.testing.Fixtures;

/**
 * The official Cloudflare Node SDK ({@code cloudflare} on npm, version pinned in
 * {@code src/test/sdk/package.json}) against the running control plane: zones create, get, list
 * (with auto-paging), edit and delete, settings get and edit, and its typed errors for our codes.
 * Needs {@code node} (20+) and {@code npm ci --prefix control-plane/src/test/sdk}; skipped with that
 * instruction when either is missing.
 */
class CloudflareSdkTest extends ControlPlaneIntegrationTest {

    private static final Path SDK_DIR = Path.of("src", "test", "sdk");

    @Test
    void officialCloudflareSdkManagesZonesAndSettings() throws Exception {
        Assumptions.assumeTrue(NodeRuntime.available(), "node is not installed: skipping the Cloudflare SDK check");
        Assumptions.assumeTrue(Files.isDirectory(SDK_DIR.resolve("node_modules/cloudflare")),
                "the Cloudflare SDK is not installed: run `npm ci --prefix control-plane/src/test/sdk` to enable this test");
        String account = new Fixtures(api()).account();
        String name = Fixtures.uniqueName();
        // The SDK calls as a customer would: with a token of the account, not the operator's.
        String token = assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"sdk\",\"permissions\":[\"zone:edit\",\"zone_settings:edit\"]}")).get("value").asString();

        NodeRuntime.Run run = NodeRuntime.run(SDK_DIR.toFile(), Map.of("ZONEPLANE_BASE_URL", api().baseUrl(),
                "ZONEPLANE_ACCOUNT_ID", account, "ZONEPLANE_ZONE_NAME", name, "ZONEPLANE_API_TOKEN", token), 120,
                List.of("sdk-check.mjs"));
        String output = run.output();
        assertThat(run.finished()).as("node finished within 120 s: " + output).isTrue();
        assertThat(run.exitCode()).as(output).isZero();
        assertThat(output).contains("SDK OK");
        // what the SDK deleted is gone for every client
        assertThat(assertSuccess(api().get("/zones?name=" + name)).isEmpty()).isTrue();
    }

    /**
     * The SDK's typed errors for credentials (a block of its own, {@code sdk-auth-errors.mjs}):
     * nothing sent is BadRequestError 9106, a malformed token BadRequestError 6003 with 6111 in its
     * error chain, an unknown or revoked one AuthenticationError (1000 "Invalid API Token" on verify),
     * and a valid one verifies with Cloudflare's message.
     */
    @Test
    void officialCloudflareSdkSeesCloudflaresTypedAuthenticationErrors() throws Exception {
        Assumptions.assumeTrue(NodeRuntime.available(), "node is not installed: skipping the Cloudflare SDK check");
        Assumptions.assumeTrue(Files.isDirectory(SDK_DIR.resolve("node_modules/cloudflare")),
                "the Cloudflare SDK is not installed: run `npm ci --prefix control-plane/src/test/sdk` to enable this test");
        String account = new Fixtures(api()).account();
        String token = assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"sdk-auth\",\"permissions\":[\"zone:read\"]}")).get("value").asString();
        JsonNode revoked = assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"sdk-revoked\",\"permissions\":[\"zone:read\"]}"));
        assertSuccess(api().delete("/accounts/" + account + "/tokens/" + revoked.get("id").asString()));

        NodeRuntime.Run run = NodeRuntime.run(SDK_DIR.toFile(), Map.of("ZONEPLANE_BASE_URL", api().baseUrl(),
                "ZONEPLANE_API_TOKEN", token, "ZONEPLANE_REVOKED_TOKEN", revoked.get("value").asString()), 120,
                List.of("sdk-auth-errors.mjs"));
        assertThat(run.finished()).as("node finished within 120 s: " + run.output()).isTrue();
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SDK AUTH OK");
    }

    /**
     * Zones as scripts written for Cloudflare use them ({@code sdk-zones.mjs}): list parameters, the
     * zone fields, typed errors 1061 / 7003 / 10000, and a second account's pending zone of a name
     * activated by the activation check once the name is free.
     */
    @Test
    void officialCloudflareSdkSeesZoneNamesListParametersAndTypedZoneErrors() throws Exception {
        Assumptions.assumeTrue(NodeRuntime.available(), "node is not installed: skipping the Cloudflare SDK check");
        Assumptions.assumeTrue(Files.isDirectory(SDK_DIR.resolve("node_modules/cloudflare")),
                "the Cloudflare SDK is not installed: run `npm ci --prefix control-plane/src/test/sdk` to enable this test");
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String other = fixtures.account();
        NodeRuntime.Run run = NodeRuntime.run(SDK_DIR.toFile(), Map.of("ZONEPLANE_BASE_URL", api().baseUrl(),
                "ZONEPLANE_ACCOUNT_ID", account, "ZONEPLANE_API_TOKEN", token(account, "zone:edit"),
                "ZONEPLANE_READ_TOKEN", token(account, "zone:read"),
                "ZONEPLANE_OTHER_ACCOUNT_ID", other, "ZONEPLANE_OTHER_TOKEN", token(other, "zone:edit"),
                "ZONEPLANE_ZONE_NAME", Fixtures.uniqueName()), 120, List.of("sdk-zones.mjs"));
        assertThat(run.finished()).as("node finished within 120 s: " + run.output()).isTrue();
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SDK ZONES OK");
    }

    /**
     * Logpush as scripts written for Cloudflare drive it ({@code sdk-logpush.mjs}):
     * {@code client.logpush.jobs.*}, {@code datasets.jobs.get}, {@code datasets.fields.get},
     * {@code validate.destination}, and the typed errors of a read-only token and an unknown field.
     */
    @Test
    void officialCloudflareSdkManagesLogpushJobs() throws Exception {
        Assumptions.assumeTrue(NodeRuntime.available(), "node is not installed: skipping the Cloudflare SDK check");
        Assumptions.assumeTrue(Files.isDirectory(SDK_DIR.resolve("node_modules/cloudflare")),
                "the Cloudflare SDK is not installed: run `npm ci --prefix control-plane/src/test/sdk` to enable this test");
        Fixtures fixtures = new Fixtures(api());
        String account = fixtures.account();
        String zone = fixtures.zone(account, Fixtures.uniqueName(), "free").get("id").asString();
        NodeRuntime.Run run = NodeRuntime.run(SDK_DIR.toFile(), Map.of("ZONEPLANE_BASE_URL", api().baseUrl(),
                "ZONEPLANE_ZONE_ID", zone, "ZONEPLANE_API_TOKEN", token(account, "logs:edit"),
                "ZONEPLANE_READ_TOKEN", token(account, "logs:read")), 120, List.of("sdk-logpush.mjs"));
        assertThat(run.finished()).as("node finished within 120 s: " + run.output()).isTrue();
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SDK LOGPUSH OK");
    }

    private String token(String account, String permission) {
        return assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"sdk-zones\",\"permissions\":[\"" + permission + "\"]}")).get("value").asString();
    }
}
