package zoneplane.system;

import static zoneplane.system.SystemHarness.EDGE_HOST;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.testing.RecordingOrigin;

/**
 * A layer-4 load balancer's client side, modelled as visitors' requests spread over the nodes round
 * robin, one connection per request ({@code Connection: close}), each with a unique {@code X-Test-Id}.
 * A refused connection goes to the next node, as any load balancer does. A connection that is closed
 * before a single response byte arrived is also retried elsewhere (with a new id), but remembered: if
 * the origin did receive that request, the node accepted it and dropped it, which is a failed in-flight
 * request ({@link #droppedAfterAccept}).
 */
final class LoadBalancer {

    private final List<EdgeNodeProcess> nodes;
    private final String host;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong refusedAndRerouted = new AtomicLong();
    private final List<String> closedBeforeAnswer = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    LoadBalancer(List<EdgeNodeProcess> nodes, String host) {
        this.nodes = List.copyOf(nodes);
        this.host = host;
    }

    /** One visitor request, with the origin answering after {@code delayMillis}. */
    void request(String id, int delayMillis) {
        int start = Math.floorMod(next.getAndIncrement(), nodes.size());
        String attemptId = id;
        for (int attempt = 0; attempt < nodes.size() * 3; attempt++) {
            EdgeNodeProcess node = nodes.get((start + attempt) % nodes.size());
            Socket socket;
            try {
                socket = RawHttp.connect(EDGE_HOST, node.httpPort(), 15_000);
            } catch (ConnectException refused) {
                refusedAndRerouted.incrementAndGet();
                continue;
            } catch (IOException other) {
                failures.add(attemptId + " connect to " + node.nodeId() + ": " + other);
                return;
            }
            try (socket) {
                String request = "GET /lb/" + attemptId + "?delay=" + delayMillis + " HTTP/1.1\r\nHost: " + host
                        + "\r\n" + RecordingOrigin.TEST_ID + ": " + attemptId + "\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                RawHttp.Exchange answer = RawHttp.readUntilClosed(socket, 15_000);
                if (answer.bytes().length == 0) {
                    closedBeforeAnswer.add(attemptId);
                    attemptId = id + "-retry" + attempt;
                    continue;
                }
                if (answer.status() == 200 && answer.closedByPeer()) {
                    ok.incrementAndGet();
                } else {
                    failures.add(attemptId + " via " + node.nodeId() + ": " + firstLine(answer.text()));
                }
                return;
            } catch (IOException e) {
                failures.add(attemptId + " via " + node.nodeId() + ": " + e);
                return;
            }
        }
        failures.add(id + ": no node took the request");
    }

    /** Loops {@code request} with random short origin delays until {@code running} says stop. */
    void runUntil(java.util.function.BooleanSupplier running, String prefix) {
        for (int n = 0; running.getAsBoolean(); n++) {
            request(prefix + "-" + n, ThreadLocalRandom.current().nextInt(0, 300));
        }
    }

    long ok() {
        return ok.get();
    }

    long refusedAndRerouted() {
        return refusedAndRerouted.get();
    }

    List<String> closedBeforeAnswer() {
        return List.copyOf(closedBeforeAnswer);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Requests closed without an answer although the origin received them: accepted, then dropped. */
    List<String> droppedAfterAccept(RecordingOrigin origin) {
        return closedBeforeAnswer().stream().filter(origin::saw).toList();
    }

    private static String firstLine(String text) {
        int end = text.indexOf("\r\n");
        return end < 0 ? (text.isEmpty() ? "(nothing, not closed)" : text) : text.substring(0, end);
    }
}
