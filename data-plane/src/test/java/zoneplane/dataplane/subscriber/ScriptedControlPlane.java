package zoneplane.dataplane.subscriber;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotWriter;
import zoneplane.model.wire.StreamLine;

/**
 * A control plane on a loopback socket whose answers the test writes: a snapshot, change-stream lines
 * (given as text, so a test can send what no real control plane would), 410 for the next stream
 * request, and every node report it received. Real HTTP (JDK server), no stubbed classes.
 */
final class ScriptedControlPlane implements AutoCloseable {

    private final HttpServer server;
    private volatile long snapshotRevision;
    private volatile List<ZoneConfig> snapshotZones = List.of();
    private volatile long head;
    private volatile boolean goneOnce;
    private volatile boolean closing;
    /** Lines by revision (index 0 = revision 1). */
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<BlockingQueue<String>> openStreams = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> reports = new LinkedBlockingQueue<>();

    ScriptedControlPlane() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-control-plane");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/internal/v1/snapshot", this::snapshot);
        server.createContext("/internal/v1/changes", this::changes);
        server.createContext("/internal/v1/nodes/", this::report);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The snapshot answered from now on; the change lines are those after {@code revision}. */
    synchronized void snapshot(long revision, List<ZoneConfig> zones) {
        snapshotRevision = revision;
        snapshotZones = List.copyOf(zones);
        while (lines.size() < revision) {
            lines.add(null); // history before the snapshot is never asked for in these tests
        }
        head = Math.max(head, revision);
    }

    /** Appends the line of the next revision and sends it to every open stream. */
    synchronized void append(String line) {
        lines.add(line);
        head = Math.max(head, lines.size());
        openStreams.forEach(q -> q.add(line));
    }

    /** Sends a heartbeat announcing {@code revision} as the head to every open stream. */
    void heartbeat(long revision) {
        openStreams.forEach(q -> q.add(StreamLine.heartbeat(revision)));
    }

    /** Ends every open stream with an error line; the next stream request is answered 410 Gone. */
    void endStreamsThenGone() {
        goneOnce = true;
        openStreams.forEach(q -> q.add(StreamLine.error("scripted end")));
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody(); SnapshotWriter writer = new SnapshotWriter(out, snapshotRevision)) {
            snapshotZones.forEach(writer::write);
        }
    }

    private void changes(HttpExchange exchange) throws IOException {
        long after = Long.parseLong(exchange.getRequestURI().getQuery().replace("after=", ""));
        if (goneOnce) {
            goneOnce = false;
            exchange.sendResponseHeaders(410, -1);
            exchange.close();
            return;
        }
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        List<String> backlog = new ArrayList<>();
        synchronized (this) {
            backlog.add(StreamLine.heartbeat(head));
            for (long r = after + 1; r <= lines.size(); r++) {
                backlog.add(lines.get((int) r - 1));
            }
            openStreams.add(queue);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String line : backlog) {
                write(out, line);
            }
            while (!closing) {
                String line = queue.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    write(out, line);
                    if (line.contains("\"error\"")) {
                        return;
                    }
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the node went away
        } finally {
            openStreams.remove(queue);
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void report(HttpExchange exchange) throws IOException {
        reports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] body = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The newest report received, or null. */
    String lastReport() {
        String last = null;
        for (String r : reports) {
            last = r;
        }
        return last;
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
    }
}
