package zoneplane.dataplane.coldstart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.netty.DisposableServer;
import zoneplane.dataplane.demo.EchoOrigin;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.support.Zones;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;

/**
 * Prints the cold-start figure of SPEC §8 (not a test): from launching a data-plane JVM to the first
 * 200 through its proxy, when the node boots from a disk cache of {@code zones} zones (its control
 * plane unreachable) with the default geolocation files (Debian's tor-geoipdb when installed).
 *
 * <pre>
 * mvn -B -q -pl data-plane -am package -DskipTests
 * mvn -B -q -pl data-plane -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp data-plane/target/test-classes:data-plane/target/classes:$(cat /tmp/cp.txt) \
 *     zoneplane.dataplane.coldstart.ColdStartMeasurement [zones=100000] [runs=5] [java options…]
 * </pre>
 * The node runs as {@code java [options] -jar data-plane/target/data-plane-exec.jar}; extra arguments
 * after the first two are JVM options for it (e.g. {@code -XX:SharedArchiveFile=…} for AppCDS). A
 * {@code ZONEPLANE_GEOIP_FILES} in this program's environment is passed on (e.g. a missing file to leave
 * geolocation out of the figure). The figure depends heavily on what else runs on the machine: quote the
 * load average with it.
 */
public final class ColdStartMeasurement {

    private static final String HOST = "cold-start.test";

    private ColdStartMeasurement() {}

    public static void main(String[] args) throws Exception {
        int zones = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> jvmOptions = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
        Path jar = Path.of("data-plane/target/data-plane-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn -pl data-plane -am package -DskipTests");
        }
        DisposableServer origin = EchoOrigin.start("127.0.0.1", 0);
        Path cacheDir = Files.createTempDirectory("zoneplane-cold-start");
        List<ZoneConfig> all = new ArrayList<>(zones);
        all.add(Zones.zone(HOST, "http://127.0.0.1:" + origin.port()).build());
        for (int i = 1; i < zones; i++) {
            all.add(Zones.zone("zone-" + i + ".example", "http://127.0.0.1:" + origin.port()).build());
        }
        new ViewCache(cacheDir).save(ZoneView.of(42, all));
        System.out.printf("disk cache: %d zones, %d bytes; JVM options %s%n", zones,
                Files.size(cacheDir.resolve(ViewCache.FILE_NAME)), jvmOptions);

        long[] millis = new long[runs];
        for (int run = 0; run < runs; run++) {
            millis[run] = oneRun(jar, cacheDir, jvmOptions);
            System.out.printf("run %d: first 200 after %d ms%n", run + 1, millis[run]);
        }
        Arrays.sort(millis);
        System.out.printf("cold start (JVM launch -> first 200 through the proxy), %d zones, %d runs: "
                + "median %d ms, min %d ms, max %d ms%n", zones, runs, millis[runs / 2], millis[0], millis[runs - 1]);
        origin.disposeNow();
    }

    private static long oneRun(Path jar, Path cacheDir, List<String> jvmOptions) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(cacheDir.resolve("node.log").toFile());
        builder.environment().put("ZONEPLANE_CONTROL_PLANE_URL", "http://127.0.0.1:9"); // unreachable: cache only
        builder.environment().put("ZONEPLANE_NODE_TOKEN", "cold-start");
        builder.environment().put("ZONEPLANE_NODE_ID", "cold");
        builder.environment().put("ZONEPLANE_CACHE_DIR", cacheDir.toString());
        builder.environment().put("ZONEPLANE_HTTP_PORT", Integer.toString(port));
        builder.environment().put("ZONEPLANE_MANAGEMENT_PORT", Integer.toString(freePort()));
        builder.environment().put("ZONEPLANE_BIND_ADDRESS", "127.0.0.1");
        if (System.getenv("ZONEPLANE_GEOIP_FILES") != null) {
            builder.environment().put("ZONEPLANE_GEOIP_FILES", System.getenv("ZONEPLANE_GEOIP_FILES"));
        }
        long launched = System.nanoTime();
        Process node = builder.start();
        try {
            long deadline = launched + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (status(port) == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
                }
                if (!node.isAlive()) {
                    throw new IllegalStateException("the node exited; see " + cacheDir.resolve("node.log"));
                }
                Thread.sleep(2); // polling interval of this measurement, not synchronisation
            }
            throw new IllegalStateException("no 200 within 30 s; see " + cacheDir.resolve("node.log"));
        } finally {
            node.destroy();
            node.waitFor(20, TimeUnit.SECONDS);
            if (node.isAlive()) {
                node.destroyForcibly();
            }
        }
    }

    /** The status of one GET through the proxy, or -1 while nothing listens. */
    private static int status(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
