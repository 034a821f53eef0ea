package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.demo.EchoOrigin;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotWriter;

/**
 * A data-plane process ({@link DataPlaneMain} in its own JVM, as deployed) whose control plane is down
 * starts from its disk cache and serves its zones through the proxy; readiness follows the view.
 */
class ColdStartFromDiskCacheTest {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final String HOST = "cold.test";

    @TempDir
    Path cacheDir;

    private DisposableServer origin;
    private Process node;
    private Path nodeLog;

    @BeforeEach
    void startOrigin() {
        origin = EchoOrigin.start("127.0.0.1", 0);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        origin.disposeNow();
    }

    private ZoneView view(int zones) {
        String url = "http://127.0.0.1:" + origin.port();
        List<ZoneConfig> list = new ArrayList<>();
        list.add(Zones.zone(HOST, url).build());
        for (int i = 1; i < zones; i++) {
            list.add(Zones.zone("zone" + i + ".cold.example", url).build());
        }
        return ZoneView.of(77, list);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The node as deployed: its own JVM running DataPlaneMain, control plane on a closed port. */
    private Ports startNode() throws IOException {
        Ports ports = new Ports(freePort(), freePort());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        nodeLog = cacheDir.resolveSibling(cacheDir.getFileName() + "-node.log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DataPlaneMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(nodeLog.toFile());
        builder.environment().put("ZONEPLANE_CONTROL_PLANE_URL", "http://127.0.0.1:" + freePort());
        builder.environment().put("ZONEPLANE_NODE_TOKEN", "cold-start-test");
        builder.environment().put("ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true"); // the echo origin is on loopback
        builder.environment().put("ZONEPLANE_NODE_ID", "cold-test");
        builder.environment().put("ZONEPLANE_CACHE_DIR", cacheDir.toString());
        builder.environment().put("ZONEPLANE_BIND_ADDRESS", "127.0.0.1");
        builder.environment().put("ZONEPLANE_HTTP_PORT", Integer.toString(ports.http()));
        builder.environment().put("ZONEPLANE_MANAGEMENT_PORT", Integer.toString(ports.management()));
        builder.environment().put("ZONEPLANE_GEOIP_FILES", cacheDir.resolve("no-geoip-file").toString());
        node = builder.start();
        return ports;
    }

    /** The response to one GET on its own connection (throws while nothing listens). */
    private static String get(int port, String host, String path) {
        return RawHttp.exchange("127.0.0.1", port, "GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: close\r\n\r\n");
    }

    /** Status of a GET, or -1 while nothing listens yet. */
    private int status(int port, String host, String path) {
        assertThat(node.isAlive()).as("node process alive (log %s)", nodeLog).isTrue();
        try {
            String response = get(port, host, path);
            return response.isEmpty() ? -1 : RawHttp.status(response);
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private String log() throws IOException {
        return Files.readString(nodeLog);
    }

    @Test
    void aNodeWhoseControlPlaneIsDownServesItsZonesFromTheBinaryDiskCache() throws Exception {
        new ViewCache(cacheDir).save(view(5_000));

        Ports ports = startNode();

        await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> status(ports.http(), "www." + HOST, "/hello") == 200);
        String response = get(ports.http(), "www." + HOST, "/hello");
        assertThat(response).startsWith("HTTP/1.1 200").contains("\r\n\r\nGET /hello HTTP/1.1\n").contains("CF-Connecting-IP: 127.0.0.1");
        assertThat(status(ports.http(), "zone4999.cold.example", "/")).isEqualTo(200);
        assertThat(status(ports.http(), "unknown.example", "/")).isEqualTo(404);
        assertThat(status(ports.management(), "localhost", DataPlaneEndpoints.READINESS_PATH)).isEqualTo(200);
        assertThat(log()).contains("serving 5000 zones at revision 77 from the disk cache")
                // as deployed: the plain HTTP/1.1 path, and Netty's leak sampling off unless asked for
                .contains("HTTP/1.1 path plain Netty; Netty leak detection disabled");
    }

    @Test
    void aNodeUpgradedFromTheJsonCacheServesFromItOnceAndLeavesTheBinaryFile() throws Exception {
        writeJsonCache(view(2_000));

        Ports ports = startNode();

        await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> status(ports.http(), HOST, "/") == 200);
        assertThat(cacheDir.resolve(ViewCache.FILE_NAME)).isRegularFile();
        assertThat(cacheDir.resolve("zone-view.json")).doesNotExist();
        assertThat(log()).contains("converted the disk cache");
    }

    @Test
    void aNodeWithADamagedCacheStaysNotReadyAndSetsTheFileAside() throws Exception {
        ViewCache cache = new ViewCache(cacheDir);
        cache.save(view(100));
        byte[] bytes = Files.readAllBytes(cache.file());
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(cache.file(), bytes);

        Ports ports = startNode();

        await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> status(ports.management(), "localhost", DataPlaneEndpoints.READINESS_PATH) == 503);
        assertThat(cacheDir.resolve(ViewCache.FILE_NAME + ".corrupt")).isRegularFile();
        assertThat(log()).contains("Refusing the disk cache").contains("checksum mismatch");
        // Without any view a host may still be one of ours: "starting" (503), not "not served" (404).
        assertThat(get(ports.http(), "zone-1.example", "/")).startsWith("HTTP/1.1 503")
                .containsIgnoringCase("Retry-After: 5").contains("has not loaded its zones yet");
    }

    /** The cache file of a node before the binary format: snapshot JSON, then its SHA-256 trailer. */
    private void writeJsonCache(ZoneView view) throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (SnapshotWriter writer = new SnapshotWriter(json, view.revision())) {
            view.forEach(writer::write);
        }
        byte[] document = json.toByteArray();
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        Path file = cacheDir.resolve("zone-view.json");
        Files.write(file, document);
        Files.writeString(file, "\nsha256:" + digest + "\n", StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.APPEND);
    }

    private record Ports(int http, int management) {}
}
