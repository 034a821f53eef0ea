package zoneplane.dataplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import zoneplane.model.wire.LogpushJobs;
import zoneplane.model.wire.LogpushReport;

/**
 * Stands in for the control plane's Logpush endpoints: {@code GET /internal/v1/logpush/jobs} answers the jobs
 * set by {@link #jobs} (with an ETag, 304 for a matching {@code If-None-Match}), and
 * {@code PUT /internal/v1/nodes/{node}/logpush} keeps each {@link LogpushReport}. Both check the node token.
 * {@link #down} answers 503 to both.
 */
public final class LogpushControlPlane implements AutoCloseable {

    private final HttpServer server;
    private final String token;
    private volatile String jobs = new LogpushJobs(List.of()).toJson();
    private final AtomicInteger revision = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicBoolean down = new AtomicBoolean();
    private final List<LogpushReport> reports = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    public LogpushControlPlane(String token) {
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/v1/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (down.get()) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problems.add("no node token: " + exchange.getRequestMethod() + " " + path);
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/internal/v1/logpush/jobs")) {
                String etag = "\"" + revision.get() + "\"";
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    notModified.incrementAndGet();
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
                byte[] body = jobs.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("ETag", etag);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else if ("PUT".equals(exchange.getRequestMethod()) && path.matches("/internal/v1/nodes/[^/]+/logpush")) {
                reports.add(LogpushReport.fromJson(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
            } else {
                problems.add(exchange.getRequestMethod() + " " + path);
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    /** The feed's jobs from now on (a new ETag). */
    public void jobs(LogpushJobs.Job... jobs) {
        this.jobs = new LogpushJobs(List.of(jobs)).toJson();
        revision.incrementAndGet();
    }

    /** Serves {@code jobs} and waits until the node reported every one of them (so it runs them). */
    public void serve(LogpushJobs.Job... jobs) {
        int before = reports.size();
        jobs(jobs);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> reports.size() > before
                && Arrays.stream(jobs).allMatch(j -> reports.get(reports.size() - 1).jobs().stream()
                        .anyMatch(o -> o.jobId() == j.id())));
    }

    /** The feed's document as raw text (for one the node must refuse). */
    public void rawJobs(String json) {
        this.jobs = json;
        revision.incrementAndGet();
    }

    public void down(boolean down) {
        this.down.set(down);
    }

    /**
     * {@code edge} following this control plane's job feed with its token, polling every 200 ms and retrying
     * deliveries after 50–200 ms (the test pace).
     */
    public ProxyExtension follows(ProxyExtension edge) {
        return edge.env("ZONEPLANE_LOGPUSH_URL", url())
                .env("ZONEPLANE_NODE_TOKEN", token)
                .env("ZONEPLANE_LOGPUSH_POLL_INTERVAL", "200ms")
                .env("ZONEPLANE_LOGPUSH_RETRY_MIN", "50ms")
                .env("ZONEPLANE_LOGPUSH_RETRY_MAX", "200ms");
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<LogpushReport> reports() {
        return List.copyOf(reports);
    }

    /** The last report's outcome of {@code job}, or null. */
    public LogpushReport.JobOutcome outcome(long job) {
        for (int i = reports.size() - 1; i >= 0; i--) {
            for (LogpushReport.JobOutcome outcome : reports.get(i).jobs()) {
                if (outcome.jobId() == job) {
                    return outcome;
                }
            }
        }
        return null;
    }

    /**
     * Asserts that {@code job}'s last outcome is the one of a recovered job: delivered after {@code since}, no error
     * left, nothing dropped, and at least the {@code duplicates} a destination received counted as sent again.
     */
    public LogpushReport.JobOutcome assertRecovered(long job, Instant since, long duplicates) {
        LogpushReport.JobOutcome outcome = outcome(job);
        assertThat(outcome.lastComplete()).isAfter(since);
        assertThat(outcome.lastError()).isNull();
        assertThat(outcome.errorMessage()).isNull();
        assertThat(outcome.recordsDropped()).isZero();
        // every copy received twice was sent again after an attempt the node could not know the fate of
        assertThat(outcome.duplicatesRetried()).isGreaterThanOrEqualTo(duplicates);
        return outcome;
    }

    public int notModified() {
        return notModified.get();
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
