package zoneplane.dataplane.usage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.subscriber.Backoff;
import zoneplane.model.wire.UsageReport;

/**
 * Ships closed minutes to the control plane: {@code POST {base}/internal/v1/nodes/{node}/usage} with the
 * node token, body {@link UsageReport#toJson()} gzip-compressed, several spooled batches (up to
 * {@code batchMinutes} zone-minutes, all of one instance) per shipment. A shipment whose JSON is larger
 * than {@code maxReportBytes} is split into several POSTs, each under it (by halving its zone-minutes; one
 * zone-minute is never split), sent one after the other; its batches leave the spool once all were
 * answered 2xx, and a failure retries them all (the parts already stored are duplicates, dropped). Each
 * report carries the process's instance id (batches an earlier run spooled keep theirs), so the parts of
 * a minute a restart cut in two both count. Every closed batch goes to the {@link UsageSpool} first
 * and leaves it only once the control plane answered 2xx (it stores each (node, zone, minute) once, so a
 * retry after a lost answer never counts twice). A failure waits a bounded exponential backoff with full
 * jitter, then the next replica is tried.
 *
 * <p>Runs on the usage thread (a single-threaded scheduler); the HTTP call is asynchronous, so nothing
 * here ever runs on or blocks an event loop. At most one request is in flight.
 */
public final class UsageShipper implements Consumer<List<UsageReport.ZoneMinute>> {

    private static final Logger log = LoggerFactory.getLogger(UsageShipper.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String nodeId;
    private final List<URI> replicas;
    private final String authorization;
    private final UsageSpool spool;
    private final int batchMinutes;
    private final String instanceId;
    private final long maxReportBytes;
    private final Backoff backoff;
    private final ScheduledExecutorService usageThread;
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private HttpClient http;
    private int replica;
    private boolean inFlight;
    private boolean failing;

    public UsageShipper(String nodeId, String instanceId, List<URI> replicas, String nodeToken, UsageSpool spool,
            int batchMinutes, long maxReportBytes, Duration retryMin, Duration retryMax,
            ScheduledExecutorService usageThread) {
        this.nodeId = nodeId;
        this.instanceId = instanceId;
        this.maxReportBytes = maxReportBytes;
        this.replicas = List.copyOf(replicas);
        this.authorization = "Bearer " + nodeToken;
        this.spool = spool;
        this.batchMinutes = batchMinutes;
        this.backoff = new Backoff(retryMin, retryMax);
        this.usageThread = usageThread;
    }

    /** A batch of closed minutes (on the usage thread): spooled, then shipped as soon as nothing is in flight. */
    @Override
    public void accept(List<UsageReport.ZoneMinute> minutes) {
        try {
            spool.write(new UsageReport(nodeId, instanceId, minutes));
        } catch (IOException e) {
            log.warn("cannot spool {} closed usage minute(s): {}", minutes.size(), e.toString());
        }
        shipNext();
    }

    /** Ships the oldest spooled batches unless a request (or its retry wait) is under way. */
    public void shipNext() {
        if (inFlight) {
            return;
        }
        List<UsageSpool.Batch> batches = new ArrayList<>();
        List<UsageReport.ZoneMinute> minutes = new ArrayList<>();
        String instance = null;
        for (UsageSpool.Batch batch : spool.pending()) {
            if (!batches.isEmpty() && minutes.size() + batch.zoneMinutes() > batchMinutes) {
                break;
            }
            try {
                UsageReport spooled = spool.readReport(batch);
                if (instance != null && !instance.equals(spooled.instanceId())) {
                    break; // one report, one instance: the next shipment takes the others
                }
                instance = spooled.instanceId();
                minutes.addAll(spooled.minutes());
                batches.add(batch);
            } catch (IOException | RuntimeException unreadable) {
                log.warn("dropping unreadable usage spool file {}: {}", batch.file(), unreadable.toString());
                remove(List.of(batch));
            }
        }
        if (batches.isEmpty()) {
            return;
        }
        inFlight = true;
        String base = replicas.get(replica).toString();
        URI target = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/internal/v1/nodes/" + nodeId + "/usage");
        List<byte[]> bodies = new ArrayList<>();
        split(new UsageReport(nodeId, instance, minutes), bodies);
        post(target, bodies, 0, batches, minutes.size());
    }

    /** The report as gzip bodies whose JSON is at most {@code maxReportBytes} each (a lone zone-minute may exceed it). */
    void split(UsageReport report, List<byte[]> bodies) {
        String json = report.toJson();
        List<UsageReport.ZoneMinute> minutes = report.minutes();
        if (json.length() <= maxReportBytes || minutes.size() <= 1) {
            bodies.add(gzip(json));
            return;
        }
        int half = minutes.size() / 2;
        split(new UsageReport(nodeId, report.instanceId(), minutes.subList(0, half)), bodies);
        split(new UsageReport(nodeId, report.instanceId(), minutes.subList(half, minutes.size())), bodies);
    }

    /** POSTs {@code bodies[index..]} one after the other; the shipment is answered once all were, or one failed. */
    private void post(URI target, List<byte[]> bodies, int index, List<UsageSpool.Batch> batches, int zoneMinutes) {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(index)))
                .build();
        http().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> run(() -> {
                    int status = error == null ? response.statusCode() : -1;
                    if (status >= 200 && status < 300 && index + 1 < bodies.size()) {
                        post(target, bodies, index + 1, batches, zoneMinutes);
                    } else {
                        answered(batches, zoneMinutes, status, error);
                    }
                }));
    }

    private void answered(List<UsageSpool.Batch> batches, int zoneMinutes, int status, Throwable error) {
        if (status >= 200 && status < 300) {
            remove(batches);
            shipped.addAndGet(zoneMinutes);
            backoff.reset();
            if (failing) {
                failing = false;
                log.info("usage minutes reach the control plane again");
            }
            inFlight = false;
            shipNext();
            return;
        }
        failures.incrementAndGet();
        if (!failing) {
            failing = true;
            log.warn("shipping usage minutes failed ({}); spooling and retrying",
                    error != null ? error.toString() : "HTTP " + status);
        }
        replica = (replica + 1) % replicas.size();
        Duration wait = backoff.next();
        try {
            usageThread.schedule(() -> {
                inFlight = false;
                shipNext();
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            inFlight = false;
        }
    }

    private void remove(List<UsageSpool.Batch> batches) {
        try {
            spool.remove(batches);
        } catch (IOException e) {
            log.warn("cannot remove shipped usage spool files: {}", e.toString());
        }
    }

    private void run(Runnable task) {
        try {
            usageThread.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            inFlight = false; // what was not acknowledged stays spooled for the next start
        }
    }

    /**
     * Whether a shutdown need not wait for this shipper any longer (usage thread): nothing is spooled or in
     * flight, or the last attempt failed (what is spooled then waits for the next start).
     */
    boolean settled() {
        return failing || !inFlight && spool.pending().isEmpty();
    }

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
        }
        return http;
    }

    private static byte[] gzip(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length() / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }

    /** Zone-minutes the control plane acknowledged. */
    public long shipped() {
        return shipped.get();
    }

    /** Requests that failed (an error, or an answer other than 2xx). */
    public long failures() {
        return failures.get();
    }

    @Override
    public String toString() {
        return "UsageShipper{node=" + nodeId + ", replicas=" + replicas + ", token=<redacted>, " + spool + "}";
    }
}
