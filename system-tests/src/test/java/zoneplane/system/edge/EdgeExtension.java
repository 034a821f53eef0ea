package zoneplane.system.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.netty.DisposableServer;
import zoneplane.dataplane.demo.EchoOrigin;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.Envelopes;
import zoneplane.testing.InProcessNode;

/**
 * The whole path for one test class ({@code @RegisterExtension static}): an embedded control plane
 * on a fresh database for the class, and for each test a fresh echo origin (it answers with the
 * request line and headers it received) and a real in-process node subscribed to that control plane
 * with an empty disk cache.
 */
final class EdgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String nodeId;
    private final Map<String, String> settings;
    private EmbeddedControlPlane controlPlane;
    private DisposableServer origin;
    private Path cache;
    private InProcessNode node;

    EdgeExtension(String nodeId) {
        this(nodeId, Map.of());
    }

    /** With more {@code ZONEPLANE_*} settings for the nodes (e.g. a faster Logpush pace). */
    EdgeExtension(String nodeId, Map<String, String> settings) {
        this.nodeId = nodeId;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        controlPlane = EmbeddedControlPlane.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        origin = EchoOrigin.start("127.0.0.1", 0);
        cache = Files.createTempDirectory("zoneplane-edge-cache-");
        node = InProcessNode.subscribedTo(controlPlane.baseUrl(), EmbeddedControlPlane.NODE_TOKEN, nodeId, cache, settings);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            node.close();
            origin.disposeNow();
        } finally {
            try (Stream<Path> files = Files.walk(cache)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (UncheckedIOException ignored) {
                // a temp cache left behind is harmless
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        controlPlane.close();
    }

    /** The API as the operator. */
    ApiClient api() {
        return controlPlane.api();
    }

    /** Creates an account and in it an enterprise zone {@code name} whose origin is this test's echo origin; its id. */
    String createZone(String name) {
        String account = Envelopes.assertSuccess(api().post("/accounts", "{\"name\":\"" + name + "\"}")).get("id").asString();
        return Envelopes.assertSuccess(api().post("/zones", "{\"account\":{\"id\":\"" + account + "\"},\"name\":\"" + name
                + "\",\"plan\":\"enterprise\",\"origin\":\"http://127.0.0.1:" + originPort() + "\"}")).get("id").asString();
    }

    int originPort() {
        return origin.port();
    }

    InProcessNode node() {
        return node;
    }
}
