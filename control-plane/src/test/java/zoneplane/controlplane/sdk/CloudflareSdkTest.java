package zoneplane.controlplane.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.controlplane.support.Envelopes.assertSuccess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.Fixtures;

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
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed: skipping the Cloudflare SDK check");
        Assumptions.assumeTrue(Files.isDirectory(SDK_DIR.resolve("node_modules/cloudflare")),
                "the Cloudflare SDK is not installed: run `npm ci --prefix control-plane/src/test/sdk` to enable this test");
        String account = new Fixtures(api()).account();
        String name = Fixtures.uniqueName();
        // The SDK calls as a customer would: with a token of the account, not the operator's.
        String token = assertSuccess(api().post("/accounts/" + account + "/tokens",
                "{\"name\":\"sdk\",\"permissions\":[\"zone:edit\",\"zone_settings:edit\"]}")).get("value").asString();

        ProcessBuilder builder = new ProcessBuilder("node", "sdk-check.mjs").directory(SDK_DIR.toFile()).redirectErrorStream(true);
        builder.environment().put("ZONEPLANE_BASE_URL", api().baseUrl());
        builder.environment().put("ZONEPLANE_ACCOUNT_ID", account);
        builder.environment().put("ZONEPLANE_ZONE_NAME", name);
        builder.environment().put("ZONEPLANE_API_TOKEN", token);
        Process node = builder.start();
        boolean finished = node.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("node finished within 120 s: " + output).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("SDK OK");
        // what the SDK deleted is gone for every client
        assertThat(assertSuccess(api().get("/zones?name=" + name)).isEmpty()).isTrue();
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
