package zoneplane.dataplane.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import zoneplane.model.wire.UsageReport;

/**
 * Stands in for the control plane's {@code POST /internal/v1/nodes/{node}/usage}: checks the token and the
 * encoding, gunzips, decodes the {@link UsageReport} and stores each minute once per (node, zone, minute),
 * as the control plane does, counting the duplicates a retry brings. {@link #down} answers 503 instead.
 */
public final class UsageReceiver implements AutoCloseable {

    public record Key(String node, String zone, Instant minute) {}

    private final HttpServer server;
    private final String token;
    private final Map<Key, UsageReport.ZoneMinute> minutes = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger largestReport = new AtomicInteger();
    private final Map<String, Integer> instances = new ConcurrentHashMap<>();

    public UsageReceiver(String token) {
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/v1/nodes/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (down.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/usage")
                    || !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    || !"gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    || !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                problems.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().entrySet());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String node = path.substring("/internal/v1/nodes/".length(), path.length() - "/usage".length());
            UsageReport report;
            try (InputStream body = new GZIPInputStream(exchange.getRequestBody())) {
                byte[] json = body.readAllBytes();
                largestReport.accumulateAndGet(json.length, Math::max);
                report = UsageReport.fromJson(new String(json, StandardCharsets.UTF_8));
            }
            instances.merge(report.instanceId(), report.minutes().size(), Integer::sum);
            if (!report.nodeId().equals(node)) {
                problems.add("node " + report.nodeId() + " posted to " + path);
            }
            posts.incrementAndGet();
            for (UsageReport.ZoneMinute minute : report.minutes()) {
                if (minutes.putIfAbsent(new Key(node, minute.zoneId(), minute.minute()), minute) != null) {
                    duplicates.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void down(boolean down) {
        this.down.set(down);
    }

    /** The stored minute of {@code zone} on node TST, or null. */
    public UsageReport.ZoneMinute minute(String zone, Instant minute) {
        return minutes.get(new Key("TST", zone, minute));
    }

    public Map<Key, UsageReport.ZoneMinute> minutes() {
        return Map.copyOf(minutes);
    }

    public int duplicates() {
        return duplicates.get();
    }

    /** The largest report's JSON length in bytes (decompressed). */
    public int largestReport() {
        return largestReport.get();
    }

    /** Zone-minutes received per instance id of the reports. */
    public Map<String, Integer> instances() {
        return Map.copyOf(instances);
    }

    public int posts() {
        return posts.get();
    }

    /** POSTs answered 503 while {@link #down}. */
    public int refused() {
        return refused.get();
    }

    /** Requests that did not look like a node's usage report (wrong method, token, encoding). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
