import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.apache.datasketches.hll.HllSketch;
import zoneplane.model.wire.UsageReport;

/**
 * Issue 22's ingest benchmark: NODES nodes each ship every active zone's closed minute, as a node does
 * (UsageReport JSON, gzip, POST /internal/v1/nodes/{id}/usage with the node token, at most BATCH
 * zone-minutes per POST), for MINUTES simulated minutes sent back to back. Prints, per simulated minute,
 * the control plane's CPU seconds (its JVM plus every PostgreSQL process) and the POSTs' wall time.
 *
 *   java IngestLoad BASE NODE_TOKEN ZONE_FILE NODES MINUTES BATCH CP_PID POSTMASTER_PID
 */
public final class IngestLoad {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        List<String> zones = Files.readAllLines(Path.of(args[2])).stream().map(String::strip).filter(z -> !z.isEmpty()).toList();
        int nodes = Integer.parseInt(args[3]);
        int minutes = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        long controlPlane = Long.parseLong(args[6]);
        long postmaster = Long.parseLong(args[7]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService senders = Executors.newFixedThreadPool(nodes);
        // Minutes an hour back, so every one is inside the ingest's accepted range and existing partitions.
        Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(minutes + 60L, ChronoUnit.MINUTES);
        long hz = 100; // USER_HZ: /proc/<pid>/stat counts in 1/100 s on Linux
        double cpuTotal = 0;
        long stored = 0;
        System.out.printf("ingest: %d zones x %d nodes per minute, %d simulated minutes, <= %d zone-minutes per POST%n",
                zones.size(), nodes, minutes, batch);
        for (int m = 0; m < minutes; m++) {
            Instant minute = first.plus(m, ChronoUnit.MINUTES);
            List<byte[]>[] bodies = prepare(zones, nodes, minute, batch);
            long ticksBefore = ProcCpu.ticks(controlPlane, postmaster);
            long start = System.nanoTime();
            List<Future<Long>> sent = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                String node = "bench-node-" + n;
                List<byte[]> own = bodies[n];
                sent.add(senders.submit(() -> post(http, base, token, node, own)));
            }
            long minuteStored = 0;
            for (Future<Long> f : sent) {
                minuteStored += f.get();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (ProcCpu.ticks(controlPlane, postmaster) - ticksBefore) / (double) hz;
            cpuTotal += cpu;
            stored += minuteStored;
            System.out.printf("minute %s: %d zone-minutes stored, control-plane CPU %.2f s, wall %.2f s%n",
                    minute, minuteStored, cpu, wall);
        }
        senders.shutdown();
        System.out.printf("ingest_cpu_s_per_minute=%.2f%n", cpuTotal / minutes);
        System.out.printf("ingest_zone_minutes_stored=%d%n", stored);
    }

    /** Each node's gzip bodies for one minute, built before the clock starts (the node's work, not the control plane's). */
    @SuppressWarnings("unchecked")
    private static List<byte[]>[] prepare(List<String> zones, int nodes, Instant minute, int batch) throws IOException {
        List<byte[]>[] bodies = new List[nodes];
        for (int n = 0; n < nodes; n++) {
            bodies[n] = new ArrayList<>();
            List<UsageReport.ZoneMinute> part = new ArrayList<>();
            for (int z = 0; z < zones.size(); z++) {
                part.add(zoneMinute(zones.get(z), minute, n, z));
                if (part.size() == batch || z == zones.size() - 1) {
                    UsageReport report = new UsageReport("bench-node-" + n, "bench-" + n, part);
                    bodies[n].add(gzip(report.toJson().getBytes(StandardCharsets.UTF_8)));
                    part = new ArrayList<>();
                }
            }
        }
        return bodies;
    }

    /** A zone's minute on one node: three dimension tuples and a small visitor sketch, as a modest zone has. */
    private static UsageReport.ZoneMinute zoneMinute(String zone, Instant minute, int node, int z) {
        HllSketch visitors = new HllSketch(12);
        for (int v = 0; v < 5; v++) {
            visitors.update("198.51." + (z % 250) + "." + (node * 10 + v));
        }
        List<UsageReport.HttpGroup> groups = List.of(
                new UsageReport.HttpGroup("US", 200, "HTTP/2", UsageReport.KIND_HTTP, "TLSv1.3", "www.example.com", "html", 40, 400_000, 20_000),
                new UsageReport.HttpGroup("DE", 200, "HTTP/1.1", UsageReport.KIND_HTTP, "none", "www.example.com", "json", 12, 36_000, 6_000),
                new UsageReport.HttpGroup("FR", 404, "HTTP/1.1", UsageReport.KIND_HTTP, "TLSv1.3", "www.example.com", "html", 2, 1_200, 800));
        return new UsageReport.ZoneMinute(zone, minute, groups, visitors.toCompactByteArray(), UsageReport.WebSocketMinute.NONE);
    }

    private static long post(HttpClient http, String base, String token, String node, List<byte[]> bodies) throws Exception {
        long stored = 0;
        for (byte[] body : bodies) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/internal/v1/nodes/" + node + "/usage"))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(node + ": " + answer.statusCode() + " " + answer.body());
            }
            int at = answer.body().indexOf("\"stored\":");
            stored += Long.parseLong(answer.body().substring(at + 9).split("[,}]")[0]);
        }
        return stored;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
