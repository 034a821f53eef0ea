package zoneplane.dataplane.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import reactor.netty.DisposableServer;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.demo.EchoOrigin;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * The training start of an image build (a build-time tool, never part of a running node): starts the
 * node the way the image launches it, plus {@code -XX:ArchiveClassesAtExit}, so that the JVM writes an
 * AppCDS archive of the classes a real start loads (SPEC §8 cold start). Called by
 * {@code data-plane/src/main/docker/cds-image.sh train}; see data-plane/README.md, "Start-up".
 *
 * <p>The node gets what a cold start in production has: a disk cache ({@value #ZONES} generated zones,
 * one of them routed to an echo origin this tool runs), its control plane on a closed loopback port
 * (the subscriber fails to connect, as when the control plane is down) and the geolocation files of
 * its environment. Once the proxy has answered one request with 200 and the management port its
 * readiness and metrics, the node gets SIGTERM: its ordinary graceful shutdown, a normal JVM exit,
 * which is when the archive is written. So the node itself needs no training switch.
 *
 * <p>Arguments: {@code archive java-command...} (the launch command without the archive option; the
 * option is inserted after the first word). Exit status 0 when the archive exists afterwards, else 1
 * with the node's log on stderr.
 */
public final class CdsTrainingRun {

    static final int ZONES = 1_000;
    static final String HOST = "cds-training.invalid";
    private static final long LIMIT_SECONDS = 120;

    private CdsTrainingRun() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CdsTrainingRun <archive.jsa> <java> [jvm options] -jar <data-plane.jar>");
            System.exit(2);
        }
        Path archive = Path.of(args[0]).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(args).subList(1, args.length));
        command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
        Path work = Files.createTempDirectory("zoneplane-cds-training");
        DisposableServer origin = EchoOrigin.start("127.0.0.1", 0);
        boolean trained = false;
        try {
            run(command, archive, work, origin.port());
            trained = true;
        } catch (TrainingFailed e) {
            System.err.println(e.getMessage());
        } finally {
            origin.disposeNow();
            deleteTree(work);
        }
        System.exit(trained ? 0 : 1);
    }

    private static void run(List<String> command, Path archive, Path work, int originPort) throws Exception {
        Path cacheDir = Files.createDirectory(work.resolve("cache"));
        new ViewCache(cacheDir).save(view("http://127.0.0.1:" + originPort));
        int http = freePort();
        int management = freePort();
        Path log = work.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        coldStartEnvironment(builder.environment(), cacheDir, http, management);
        Files.deleteIfExists(archive);
        long started = System.nanoTime();
        Process node = builder.start();
        long served;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
            awaitStatus(node, http, HOST, "/", deadline, log);
            awaitStatus(node, management, "localhost", DataPlaneEndpoints.READINESS_PATH, deadline, log);
            awaitStatus(node, management, "localhost", DataPlaneEndpoints.METRICS_PATH, deadline, log);
            served = System.nanoTime();
            node.destroy(); // SIGTERM: the node drains and the JVM exits normally, writing the archive
            if (!node.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the node did not exit within " + LIMIT_SECONDS + " s of SIGTERM", log);
            }
        } finally {
            node.destroyForcibly();
        }
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
            fail("the training start wrote no archive at " + archive + " (exit status " + node.exitValue() + ")", log);
        }
        System.out.printf("CDS training start: served after %d ms, exited %d ms later; archive %s, %d bytes%n",
                TimeUnit.NANOSECONDS.toMillis(served - started), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - served),
                archive, Files.size(archive));
    }

    /** A cold start from the disk cache: control plane unreachable, loopback ports, a short drain. */
    private static void coldStartEnvironment(Map<String, String> env, Path cacheDir, int http, int management)
            throws IOException {
        env.remove(DataPlaneConfigLoader.SNAPSHOT_FILE);
        env.put(DataPlaneConfigLoader.CONTROL_PLANE_URL, "http://127.0.0.1:" + freePort()); // nothing listens there
        env.put(DataPlaneConfigLoader.NODE_TOKEN, "cds-training");
        env.put(DataPlaneConfigLoader.NODE_ID, "cds-training");
        env.put(DataPlaneConfigLoader.CACHE_DIR, cacheDir.toString());
        env.put(DataPlaneConfigLoader.BIND_ADDRESS, "127.0.0.1");
        env.put(DataPlaneConfigLoader.HTTP_PORT, Integer.toString(http));
        env.put(DataPlaneConfigLoader.MANAGEMENT_PORT, Integer.toString(management));
        env.put(DataPlaneConfigLoader.DRAIN_TIMEOUT, "1s");
        env.put(DataPlaneConfigLoader.ALLOW_PRIVATE_ORIGINS, "true"); // the echo origin this tool runs is on loopback
    }

    private static ZoneView view(String origin) {
        List<ZoneConfig> zones = new ArrayList<>(ZONES);
        ZoneSettings settings = ZoneSettings.effective(Plan.ENTERPRISE, Map.of());
        for (int i = 0; i < ZONES; i++) {
            String name = i == 0 ? HOST : "zone-" + i + ".cds-training.invalid";
            zones.add(new ZoneConfig(String.format("%032x", i), name, Plan.ENTERPRISE, origin, false, settings));
        }
        return ZoneView.of(1, zones);
    }

    /** Polls until a GET answers 200; fails if the node exits or the deadline passes. */
    private static void awaitStatus(Process node, int port, String host, String path, long deadline, Path log)
            throws IOException, InterruptedException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int status = -1;
        while (status != 200) {
            if (!node.isAlive()) {
                fail("the node exited with status " + node.exitValue() + " during the training start", log);
            }
            if (System.nanoTime() > deadline) {
                fail("no 200 for " + path + " within " + LIMIT_SECONDS + " s (last status " + status + ")", log);
            }
            status = get(port, request);
            if (status != 200) {
                Thread.sleep(50); // polling interval while the node starts
            }
        }
    }

    private static int get(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            in.readAllBytes();
            return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void fail(String message, Path log) throws IOException {
        String nodeLog = Files.isRegularFile(log) ? Files.readString(log) : "(none)";
        throw new TrainingFailed(message + "\n--- node log ---\n" + nodeLog);
    }

    private static final class TrainingFailed extends RuntimeException {
        TrainingFailed(String message) {
            super(message);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
