package zoneplane.dataplane.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import zoneplane.dataplane.demo.EchoOrigin;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;

/**
 * The image's start-up, without Docker: runs {@code src/main/docker/cds-image.sh} (unpack, then the
 * training start) against the exec jar the build just packaged, in a temporary directory standing for
 * the image's {@code /app}, then starts the node with the Dockerfile's own {@code ENTRYPOINT} (read
 * from the Dockerfile, {@code /app} replaced) from a disk cache, control plane unreachable. A failsafe
 * test: it needs {@code target/data-plane-exec.jar}, so it runs in {@code mvn verify}, after
 * {@code package}.
 */
class ImageLaunchIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String HOST = "image.test";

    @TempDir
    static Path image;

    private static Path app;
    private static DisposableServer origin;

    private Process node;
    private Path nodeLog;

    @BeforeAll
    static void buildTheImageDirectory() throws Exception {
        Path execJar = MODULE.resolve("target/data-plane-exec.jar");
        assertThat(execJar).as("packaged exec jar (run mvn verify)").isRegularFile();
        app = image.resolve("app");
        runScript("unpack", execJar.toString(), app.toString());
        runScript("train", app.toString());
        origin = EchoOrigin.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.disposeNow();
        }
    }

    @AfterEach
    void stopNode() throws InterruptedException {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theImageLaunchServesFromTheDiskCacheWithTheNodesClassesFromTheArchive() throws Exception {
        int http = startNode(app, "trained");

        await().atMost(LIMIT).pollInterval(Duration.ofMillis(50)).until(() -> status(http) == 200);
        String log = Files.readString(nodeLog);
        assertThat(log).contains("serving 1000 zones at revision 9 from the disk cache");
        // The node's own classes, the subscriber's and Netty's came from the archive, not from the jars.
        assertThat(log)
                .containsPattern("zoneplane\\.dataplane\\.DataPlaneMain source: shared objects file \\(top\\)")
                .containsPattern("zoneplane\\.dataplane\\.subscriber\\.BinaryViewCodec source: shared objects file \\(top\\)")
                .containsPattern("io\\.netty\\.channel\\.epoll\\.AbstractEpollStreamChannel source: shared objects file \\(top\\)")
                .doesNotContainPattern("zoneplane\\.dataplane\\.DataPlaneMain source: file:");
    }

    @Test
    void anArchiveThatNoLongerFitsOnlyCostsSpeedTheNodeStillServes() throws Exception {
        // The directory moved and one jar changed after the training start (paths and time stamps are
        // part of the archive's check).
        Path copy = image.resolve("stale");
        copyTree(app, copy);
        Path someJar;
        try (var jars = Files.list(copy.resolve("lib"))) {
            someJar = jars.filter(p -> p.getFileName().toString().startsWith("netty-common")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(someJar, FileTime.from(Instant.now().plusSeconds(60)));

        int http = startNode(copy, "stale");

        await().atMost(LIMIT).pollInterval(Duration.ofMillis(50)).until(() -> status(http) == 200);
        assertThat(Files.readString(nodeLog)).containsPattern("zoneplane\\.dataplane\\.DataPlaneMain source: file:");
    }

    /** The Dockerfile's ENTRYPOINT with {@code /app} as {@code dir}, plus class-load logging. */
    private static List<String> entrypoint(Path dir) throws IOException {
        String dockerfile = Files.readString(MODULE.resolve("Dockerfile"));
        Matcher line = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(dockerfile);
        assertThat(line.find()).as("ENTRYPOINT in the Dockerfile").isTrue();
        List<String> command = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(line.group(1));
        while (word.find()) {
            command.add(word.group(1).replace("/app/", dir + "/"));
        }
        assertThat(command.get(0)).isEqualTo("java");
        command.set(0, javaHome().resolve("bin/java").toString());
        command.add(1, "-Xlog:class+load=info");
        return command;
    }

    private int startNode(Path dir, String name) throws Exception {
        Path cacheDir = Files.createDirectories(image.resolve(name + "-cache"));
        String url = "http://127.0.0.1:" + origin.port();
        List<ZoneConfig> zones = new ArrayList<>();
        zones.add(Zones.zone(HOST, url).build());
        for (int i = 1; i < 1000; i++) {
            zones.add(Zones.zone("zone" + i + ".image.example", url).build());
        }
        new ViewCache(cacheDir).save(ZoneView.of(9, zones));
        int http = freePort();
        nodeLog = image.resolve(name + "-node.log");
        ProcessBuilder builder = new ProcessBuilder(entrypoint(dir))
                .redirectErrorStream(true).redirectOutput(nodeLog.toFile());
        builder.environment().put("ZONEPLANE_CONTROL_PLANE_URL", "http://127.0.0.1:" + freePort());
        builder.environment().put("ZONEPLANE_NODE_TOKEN", "image-test");
        builder.environment().put("ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true"); // the echo origin is on loopback
        builder.environment().put("ZONEPLANE_NODE_ID", "image-test");
        builder.environment().put("ZONEPLANE_CACHE_DIR", cacheDir.toString());
        builder.environment().put("ZONEPLANE_BIND_ADDRESS", "127.0.0.1");
        builder.environment().put("ZONEPLANE_HTTP_PORT", Integer.toString(http));
        builder.environment().put("ZONEPLANE_MANAGEMENT_PORT", Integer.toString(freePort()));
        builder.environment().put("ZONEPLANE_GEOIP_FILES", image.resolve("no-geoip-file").toString());
        node = builder.start();
        return http;
    }

    private int status(int port) {
        assertThat(node.isAlive()).as("node alive (log %s)", nodeLog).isTrue();
        try {
            String response = RawHttp.exchange("127.0.0.1", port,
                    "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n");
            return response.isEmpty() ? -1 : RawHttp.status(response);
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private static void runScript(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", MODULE.resolve("src/main/docker/cds-image.sh").toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(image, "cds-image-" + args[0], ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", javaHome().toString());
        builder.environment().put("ZONEPLANE_GEOIP_FILES", image.resolve("no-geoip-file").toString());
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("cds-image.sh %s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as("cds-image.sh %s: %s", args[0], Files.readString(log)).isZero();
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
