package zoneplane.dataplane.subscriber;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.NodeReport;
import zoneplane.model.wire.SnapshotReader;

/**
 * The node's HTTP calls to the control plane's {@code /internal/v1} (JDK HttpClient, HTTP/1.1), all
 * with {@code Authorization: Bearer <node token>}. The snapshot and the change stream go to the replica
 * the caller names; node reports go to the replica last {@linkplain #aimAt aimed at}, the one the
 * subscriber is following, so they reach whichever replica is live. Thread-safe.
 *
 * <p>Connecting is bounded by {@value #MAX_CONNECT_MILLIS} ms (or the request timeout, if shorter):
 * a replica that does not accept a TCP connection by then is taken for down and the next is tried,
 * where the full request timeout would hold failover back for its length.
 *
 * <p>The {@code HttpClient} is built by the first call, not by the constructor: building it creates
 * the JDK's default TLS context (parsing the CA certificates, hundreds of milliseconds on a cold JVM),
 * which a node starting from its disk cache must not wait for (SPEC §8 cold start).
 */
final class ControlPlaneClient {

    /** The control plane answered with a status the caller did not expect. */
    static class UnexpectedStatus extends IOException {
        final int status;

        UnexpectedStatus(String what, int status) {
            super(what + " answered HTTP " + status);
            this.status = status;
        }
    }

    /** 410 on the change stream: the node's revision is no longer retained; take a snapshot. */
    static final class HistoryGone extends UnexpectedStatus {
        HistoryGone() {
            super("change stream", 410);
        }
    }

    static final long MAX_CONNECT_MILLIS = 2000;

    private volatile HttpClient http;
    private volatile ControlPlaneReplicas.Replica reportTo;
    private final String authorization;
    private final Duration requestTimeout;

    ControlPlaneClient(ControlPlaneReplicas.Replica first, String nodeToken, Duration requestTimeout) {
        this.reportTo = first;
        this.authorization = "Bearer " + nodeToken;
        this.requestTimeout = requestTimeout;
    }

    /** Node reports go to {@code replica} from now on. */
    void aimAt(ControlPlaneReplicas.Replica replica) {
        reportTo = replica;
    }

    /** The replica reports go to: the one the subscriber follows, or is trying. */
    ControlPlaneReplicas.Replica aimedAt() {
        return reportTo;
    }

    /** Whether a call has built the HTTP client (and with it the TLS context) yet. */
    boolean built() {
        return http != null;
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(requestTimeout.compareTo(Duration.ofMillis(MAX_CONNECT_MILLIS)) < 0
                                    ? requestTimeout : Duration.ofMillis(MAX_CONNECT_MILLIS))
                            .build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** Streams {@code replica}'s snapshot into {@code zones}; returns its revision. */
    long snapshot(ControlPlaneReplicas.Replica replica, Consumer<ZoneConfig> zones) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http().send(get(replica, "/internal/v1/snapshot"),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new UnexpectedStatus("snapshot", response.statusCode());
            }
            return SnapshotReader.read(body, zones);
        }
    }

    /** Opens {@code replica}'s change stream after {@code revision}. */
    ChangeConnection changes(ControlPlaneReplicas.Replica replica, long revision) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http().send(get(replica, "/internal/v1/changes?after=" + revision),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            if (response.statusCode() == 410) {
                throw new HistoryGone();
            }
            throw new UnexpectedStatus("change stream", response.statusCode());
        }
        return new ChangeConnection(response.body());
    }

    /** Reports the node (registers on first call); completes with the HTTP status. */
    CompletableFuture<Integer> report(String nodeId, NodeReport report) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(reportTo.base() + "/internal/v1/nodes/" + nodeId))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(report.toJson()))
                .build();
        return http().sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    private HttpRequest get(ControlPlaneReplicas.Replica replica, String path) {
        return HttpRequest.newBuilder(URI.create(replica.base() + path))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .GET()
                .build();
    }

    @Override
    public String toString() {
        return "ControlPlaneClient{reports to " + reportTo + ", token=<redacted>}";
    }

    /** An open change stream: lines in order; {@link #close()} from any thread ends a blocked read. */
    static final class ChangeConnection implements AutoCloseable {
        private final InputStream body;
        private final BufferedReader reader;

        private ChangeConnection(InputStream body) {
            this.body = body;
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        }

        /** The next line, or null when the server ended the stream. */
        String readLine() throws IOException {
            return reader.readLine();
        }

        /** Whether another line is probably buffered already (lets the caller batch). */
        boolean ready() throws IOException {
            return reader.ready();
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing a dead connection: nothing left to release
            }
        }
    }
}
