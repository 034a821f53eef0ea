package zoneplane.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static zoneplane.system.SystemHarness.EDGE_HOST;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.testing.RecordingOrigin;

/**
 * Scenario 4 (issue 8): hostile traffic against one node (edge-a) while a well-behaved visitor keeps
 * being served by it: header floods and oversized headers, request smuggling variants, invalid HTTP/2
 * frames, an over-limit WebSocket frame, slow heads and bodies (slowloris), and malformed PROXY protocol
 * headers against a third node that requires PROXY protocol. Every hostile request is refused as
 * configured and never reaches the origin; the visitor sees only 200s; the node's live heap and RSS
 * stay bounded. The nodes run with 2 s head/body timeouts ({@link SystemHarness#NODE_ENV}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // the attacks share one zone, one extra node and one visitor
class HostileTrafficTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final String ZONE = "hostile.example.com";
    private final AtomicInteger idCounter = new AtomicInteger();

    private EdgeNodeProcess target;
    private EdgeNodeProcess proxyProtocolNode;
    private NodeMemory.Sample before;
    private final AtomicBoolean visiting = new AtomicBoolean(true);
    private final AtomicLong served = new AtomicLong();
    private final List<String> visitorFailures = Collections.synchronizedList(new ArrayList<>());
    private ExecutorService visitorThread;
    private Future<?> visitor;

    @BeforeAll
    void zoneNodeAndWellBehavedVisitor() throws Exception {
        SystemHarness sys = system.system();
        target = sys.node(0);
        String zoneId = sys.api().createZone(ZONE, "free", sys.origin().url());
        long created = sys.api().propagation(zoneId).get("latest_revision").asLong();
        proxyProtocolNode = sys.startExtraNode("edge-pp", Map.of("ZONEPLANE_PROXY_PROTOCOL", "true",
                "ZONEPLANE_TRUSTED_PROXIES", "::1/128"));
        for (EdgeNodeProcess node : List.of(target, proxyProtocolNode)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedRevision() >= created);
        }
        before = NodeMemory.of(target.process().pid());
        visitorThread = Executors.newSingleThreadExecutor();
        visitor = visitorThread.submit(() -> {
            Visitor v = new Visitor();
            while (visiting.get()) {
                try {
                    Visitor.Answer a = v.get(target.visitorBase(), ZONE, "/well-behaved");
                    if (a.status() == 200) {
                        served.incrementAndGet();
                    } else {
                        visitorFailures.add("HTTP " + a.status());
                    }
                } catch (Exception e) {
                    visitorFailures.add(e.toString());
                }
                // A person clicking, not a load test: about 20 requests a second.
                TimeUnit.MILLISECONDS.sleep(50);
            }
            return null;
        });
    }

    @AfterAll
    void stopVisitor() {
        visiting.set(false);
        if (visitorThread != null) {
            visitorThread.shutdownNow();
        }
    }

    @Test
    @Order(1)
    void headerFloodsAndOversizedHeadersAreRefusedAndNeverReachTheOrigin() throws Exception {
        RecordingOrigin origin = system.system().origin();
        String id = nextId("flood");
        StringBuilder flood = new StringBuilder("GET /flood HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID
                + ": " + id + "\r\n");
        for (int i = 0; i < 3000; i++) {
            flood.append("X-Flood-").append(i).append(": value\r\n");
        }
        flood.append("\r\n");
        assertThat(RawHttp.untilClosed(EDGE_HOST, target.httpPort(), flood.toString(), 5000).status()).as("header flood").isIn(400, 431);

        String bigId = nextId("big");
        String big = "GET /big HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": " + bigId + "\r\nX-Big: "
                + "a".repeat(64 * 1024) + "\r\n\r\n";
        assertThat(RawHttp.untilClosed(EDGE_HOST, target.httpPort(), big, 5000).status()).as("oversized header").isIn(400, 431);

        // Many at once: each refused, none reaching the origin.
        int parallel = Systems.heavy() ? 200 : 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String floodId = nextId("flood-many");
            ids.add(floodId);
            String request = flood.toString().replace(id, floodId);
            statuses.add(pool.submit(() -> RawHttp.untilClosed(EDGE_HOST, target.httpPort(), request, 10_000).status()));
        }
        for (Future<Integer> s : statuses) {
            assertThat(s.get(30, TimeUnit.SECONDS)).isIn(400, 431);
        }
        pool.shutdownNow();
        assertThat(origin.saw(id)).isFalse();
        assertThat(origin.saw(bigId)).isFalse();
        assertThat(ids).noneMatch(origin::saw);
    }

    @Test
    @Order(2)
    void requestSmugglingVariantsGet400AndTheOriginSeesNeitherRequest() throws Exception {
        RecordingOrigin origin = system.system().origin();
        Map<String, String> framings = new LinkedHashMap<>();
        framings.put("CL then TE", "Content-Length: %d\r\nTransfer-Encoding: chunked\r\n");
        framings.put("TE then CL", "Transfer-Encoding: chunked\r\nContent-Length: %d\r\n");
        framings.put("two different CLs", "Content-Length: 0\r\nContent-Length: %d\r\n");
        framings.put("CL list", "Content-Length: %1$d, %1$d0\r\n");
        framings.put("signed CL", "Content-Length: +%d\r\n");
        framings.put("TE xchunked", "Transfer-Encoding: xchunked\r\nContent-Length: %d\r\n");
        framings.put("TE chunked, identity", "Transfer-Encoding: chunked, identity\r\n");
        framings.put("TE twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n");
        framings.put("TE space before colon", "Transfer-Encoding : chunked\r\nContent-Length: %d\r\n");
        framings.put("TE vertical tab", "Transfer-Encoding:\u000bchunked\r\nContent-Length: %d\r\n");
        framings.put("TE on HTTP/1.0", null);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> framing : framings.entrySet()) {
            String outer = nextId("smuggle");
            String inner = nextId("smuggled");
            String hidden = "GET /smuggled HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": " + inner + "\r\n\r\n";
            String body = "0\r\n\r\n" + hidden;
            String request;
            if (framing.getValue() == null) {
                request = "POST /outer HTTP/1.0\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": " + outer
                        + "\r\nTransfer-Encoding: chunked\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            } else {
                request = "POST /outer HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": " + outer + "\r\n"
                        + String.format(framing.getValue(), body.length()) + "\r\n" + body;
            }
            RawHttp.Exchange answer = RawHttp.untilClosed(EDGE_HOST, target.httpPort(), request, 3000);
            if (answer.status() != 400) {
                problems.add(framing.getKey() + ": expected 400, got " + firstLine(answer));
            }
            if (answer.responses() > 1) {
                problems.add(framing.getKey() + ": the connection answered " + answer.responses() + " requests");
            }
            if (origin.saw(outer) || origin.saw(inner)) {
                problems.add(framing.getKey() + ": the origin received " + (origin.saw(outer) ? "the request " : "")
                        + (origin.saw(inner) ? "the smuggled request" : ""));
            }
        }
        // The control: a well-formed chunked upload on the same node passes.
        String good = nextId("chunked-ok");
        RawHttp.Exchange ok = RawHttp.untilClosed(EDGE_HOST, target.httpPort(), "POST /ok HTTP/1.1\r\nHost: " + ZONE + "\r\n"
                + RecordingOrigin.TEST_ID + ": " + good + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "4\r\nabcd\r\n0\r\n\r\n", 5000);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(origin.saw(good)).isTrue();
        assertThat(problems).as("smuggling variants that were not refused").isEmpty();
    }

    @Test
    @Order(3)
    void invalidHttp2FramesAfterTheH2cPrefaceEndTheConnectionWithGoaway() throws Exception {
        Map<String, byte[]> attacks = new LinkedHashMap<>();
        attacks.put("HEADERS on stream 0", Http2Frames.frame(Http2Frames.HEADERS, 0x4, 0, new byte[] {(byte) 0x82}));
        attacks.put("frame over SETTINGS_MAX_FRAME_SIZE", Http2Frames.header(0xFFFFFF, Http2Frames.DATA, 0, 1, new byte[64]));
        attacks.put("SETTINGS of 5 bytes", Http2Frames.frame(Http2Frames.SETTINGS, 0, 0, new byte[5]));
        attacks.put("PING of 7 bytes", Http2Frames.frame(Http2Frames.PING, 0, 0, new byte[7]));
        attacks.put("WINDOW_UPDATE of 0", Http2Frames.frame(Http2Frames.WINDOW_UPDATE, 0, 0, new byte[4]));
        attacks.put("DATA on an idle stream", Http2Frames.frame(Http2Frames.DATA, 0, 1, new byte[] {1, 2, 3}));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> attack : attacks.entrySet()) {
            RawHttp.Exchange answer = RawHttp.untilClosed(EDGE_HOST, target.httpPort(),
                    Http2Frames.concat(Http2Frames.prefaceAndSettings(), attack.getValue()), 5000);
            List<Http2Frames.Frame> frames = Http2Frames.parse(answer.bytes());
            boolean settingsFirst = !frames.isEmpty() && frames.get(0).type() == Http2Frames.SETTINGS;
            Http2Frames.Frame goaway = frames.stream().filter(f -> f.type() == Http2Frames.GOAWAY).findFirst().orElse(null);
            if (!settingsFirst) {
                problems.add(attack.getKey() + ": no HTTP/2 server preface, got " + firstLine(answer));
            } else if (goaway == null) {
                problems.add(attack.getKey() + ": no GOAWAY (frames " + frames.stream().map(Http2Frames.Frame::type).toList() + ")");
            } else if (goaway.errorCode() == 0) {
                problems.add(attack.getKey() + ": GOAWAY with NO_ERROR");
            }
            if (!answer.closedByPeer()) {
                problems.add(attack.getKey() + ": the connection stayed open");
            }
        }
        assertThat(problems).as("invalid HTTP/2 frames not answered with GOAWAY and close").isEmpty();
    }

    @Test
    @Order(4)
    void aWebSocketFrameOverTheLimitClosesTheConnectionWith1009() throws Exception {
        try (Socket socket = RawHttp.connect(EDGE_HOST, target.httpPort(), 10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: " + ZONE + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101");
            // A masked binary frame declaring 17 MiB (the edge allows 16 MiB), followed by its first 64 KiB.
            long length = 17L << 20;
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x82);
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift) & 0xff);
            }
            frame.writeBytes(new byte[] {1, 2, 3, 4});
            frame.writeBytes(new byte[64 * 1024]);
            try {
                out.write(frame.toByteArray());
                out.flush();
            } catch (IOException closedEarly) {
                // the edge may close while we are still writing; what it sent first is read below
            }
            RawHttp.Exchange rest = RawHttp.readUntilClosed(socket, 10_000);
            assertThat(closeCode(rest.bytes())).as("close frame from the edge").isEqualTo(1009);
        }
    }

    @Test
    @Order(5)
    void slowHeadsAndSlowBodiesGet408WithinTheConfiguredTimeouts() throws Exception {
        RecordingOrigin origin = system.system().origin();
        // Slow head: a header line every 300 ms, forever unless the edge ends it (bounded by 40 lines).
        String headId = nextId("slow-head");
        long started = System.nanoTime();
        RawHttp.Exchange slowHead;
        try (Socket socket = RawHttp.connect(EDGE_HOST, target.httpPort(), 300)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /slowloris HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": " + headId + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            slowHead = drip(socket, out);
        }
        double headSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(slowHead.status()).as(slowHead.text()).isEqualTo(408);
        assertThat(slowHead.closedByPeer()).isTrue();
        assertThat(headSeconds).as("closed soon after the 2 s head timeout").isBetween(1.5, 6.0);
        assertThat(origin.saw(headId)).isFalse();

        // A connection that sends nothing at all is closed as well.
        started = System.nanoTime();
        RawHttp.Exchange idle;
        try (Socket socket = RawHttp.connect(EDGE_HOST, target.httpPort(), 10_000)) {
            idle = RawHttp.readUntilClosed(socket, 10_000);
        }
        assertThat(idle.closedByPeer()).isTrue();
        assertThat((System.nanoTime() - started) / 1e9).as("idle new connection closed").isLessThan(6.0);

        // Slow body: 10 of 1000 announced bytes, then silence.
        String bodyId = nextId("slow-body");
        started = System.nanoTime();
        RawHttp.Exchange slowBody;
        try (Socket socket = RawHttp.connect(EDGE_HOST, target.httpPort(), 10_000)) {
            socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": "
                    + bodyId + "\r\nContent-Length: 1000\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
            slowBody = RawHttp.readUntilClosed(socket, 10_000);
        }
        double bodySeconds = (System.nanoTime() - started) / 1e9;
        assertThat(slowBody.status()).as(slowBody.text()).isEqualTo(408);
        assertThat(bodySeconds).as("answered soon after the 2 s body timeout").isBetween(1.5, 6.0);

        // Many slowloris connections at once are all cut, and cost the node nothing lasting.
        int parallel = Systems.heavy() ? 500 : 100;
        List<Socket> sockets = new ArrayList<>();
        ExecutorService slowPool = Executors.newFixedThreadPool(parallel);
        try {
            for (int i = 0; i < parallel; i++) {
                Socket s = RawHttp.connect(EDGE_HOST, target.httpPort(), 10_000);
                s.getOutputStream().write(("GET /many HTTP/1.1\r\nHost: " + ZONE + "\r\nX-Part: ").getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            List<CompletableFuture<RawHttp.Exchange>> ends = new ArrayList<>();
            for (Socket s : sockets) {
                ends.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return RawHttp.readUntilClosed(s, 15_000);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, slowPool));
            }
            for (CompletableFuture<RawHttp.Exchange> end : ends) {
                assertThat(end.get(30, TimeUnit.SECONDS).closedByPeer()).isTrue();
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            slowPool.shutdownNow();
        }
    }

    @Test
    @Order(6)
    void malformedProxyProtocolHeadersAreDroppedAndNeverReachTheOrigin() throws Exception {
        RecordingOrigin origin = system.system().origin();
        int port = proxyProtocolNode.httpPort();
        String goodId = nextId("pp-good");
        RawHttp.Exchange good = RawHttp.untilClosed(EDGE_HOST, port, "PROXY TCP4 203.0.113.9 127.0.0.1 55555 80\r\n" + get(goodId), 5000);
        assertThat(good.status()).as(good.text()).isEqualTo(200);
        assertThat(Visitor.parseEcho(good.text())).containsEntry("cf-connecting-ip", "203.0.113.9");

        Map<String, byte[]> attacks = new LinkedHashMap<>();
        attacks.put("no PROXY header", get(nextId("pp")).getBytes(StandardCharsets.ISO_8859_1));
        attacks.put("v1 invalid address", ("PROXY TCP4 999.1.1.1 127.0.0.1 55555 80\r\n" + get(nextId("pp"))).getBytes(StandardCharsets.ISO_8859_1));
        attacks.put("v1 unknown protocol", ("PROXY SCTP 203.0.113.9 127.0.0.1 1 2\r\n" + get(nextId("pp"))).getBytes(StandardCharsets.ISO_8859_1));
        attacks.put("v1 line too long", ("PROXY TCP4 " + "1".repeat(200) + "\r\n" + get(nextId("pp"))).getBytes(StandardCharsets.ISO_8859_1));
        attacks.put("v1 without CRLF", ("PROXY TCP4 203.0.113.9 127.0.0.1 55555 80 " + get(nextId("pp"))).getBytes(StandardCharsets.ISO_8859_1));
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        attacks.put("v2 bad version", Http2Frames.concat(signature, new byte[] {0x31, 0x11, 0, 12}, new byte[12],
                get(nextId("pp")).getBytes(StandardCharsets.ISO_8859_1)));
        attacks.put("v2 length beyond the bytes sent", Http2Frames.concat(signature, new byte[] {0x21, 0x11, (byte) 0xFF, (byte) 0xFF},
                new byte[12]));
        attacks.put("v2 address block too short", Http2Frames.concat(signature, new byte[] {0x21, 0x21, 0, 4}, new byte[4],
                get(nextId("pp")).getBytes(StandardCharsets.ISO_8859_1)));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> attack : attacks.entrySet()) {
            long started = System.nanoTime();
            RawHttp.Exchange answer = RawHttp.untilClosed(EDGE_HOST, port, attack.getValue(), 8000);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (answer.status() == 200) {
                problems.add(attack.getKey() + ": answered 200");
            }
            if (!answer.closedByPeer()) {
                problems.add(attack.getKey() + ": connection still open after " + seconds + " s");
            }
        }
        assertThat(problems).as("malformed PROXY headers not dropped").isEmpty();
        assertThat(origin.paths().entrySet()).as("no request with a malformed PROXY header reached the origin")
                .noneMatch(e -> e.getKey().startsWith("pp-") && !e.getKey().equals(goodId));
    }

    @Test
    @Order(7)
    void h2cRapidResetIsCutOffAndReachesTheOriginOnlyBoundedly() throws Exception {
        RecordingOrigin origin = system.system().origin();
        // The control: one h2c request over prior knowledge is answered.
        String okId = nextId("h2-ok");
        RawHttp.Exchange ok = RawHttp.untilClosed(EDGE_HOST, target.httpPort(), Http2Frames.concat(Http2Frames.prefaceAndSettings(),
                Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM | Http2Frames.END_HEADERS, 1,
                        Http2Frames.getRequestBlock(ZONE, "/h2", okId))), 3000);
        assertThat(Http2Frames.parse(ok.bytes())).as("a response HEADERS frame on stream 1")
                .anyMatch(f -> f.type() == Http2Frames.HEADERS && f.stream() == 1);
        assertThat(origin.saw(okId)).isTrue();

        // Rapid reset (CVE-2023-44487): open a stream and cancel it at once, thousands of times.
        int streams = Systems.heavy() ? 20_000 : 5_000;
        ByteArrayOutputStream attack = new ByteArrayOutputStream();
        attack.writeBytes(Http2Frames.prefaceAndSettings());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int stream = 2 * i + 1;
            String id = "rapid-reset-" + idCounter.incrementAndGet();
            ids.add(id);
            attack.writeBytes(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM | Http2Frames.END_HEADERS, stream,
                    Http2Frames.getRequestBlock(ZONE, "/rapid-reset", id)));
            attack.writeBytes(Http2Frames.frame(Http2Frames.RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8}));
        }
        RawHttp.Exchange answer = sendWhileReading(attack.toByteArray(), 15_000);
        List<Http2Frames.Frame> frames = Http2Frames.parse(answer.bytes());
        long reached = ids.stream().filter(origin::saw).count();
        System.out.printf("scenario 4: rapid reset of %d streams: %d reached the origin, GOAWAY %s, closed %s%n", streams,
                reached, frames.stream().filter(f -> f.type() == Http2Frames.GOAWAY).map(Http2Frames.Frame::errorCode).toList(),
                answer.closedByPeer());
        assertThat(frames).as("GOAWAY for the abusive connection").anyMatch(f -> f.type() == Http2Frames.GOAWAY);
        assertThat(answer.closedByPeer()).as("connection closed").isTrue();
        assertThat(reached).as("cancelled streams that still cost an origin request").isLessThan(streams / 4);
    }

    @Test
    @Order(8)
    void h2cContinuationFloodIsCutOffBeforeItIsBuffered() throws Exception {
        // CONTINUATION flood (2024): a header block that never ends, 16 KiB at a time, up to 64 MiB.
        byte[] filler = new byte[16 * 1024];
        java.util.Arrays.fill(filler, (byte) 'a');
        long sent = 0;
        RawHttp.Exchange answer;
        try (Socket socket = RawHttp.connect(EDGE_HOST, target.httpPort(), 15_000)) {
            CompletableFuture<RawHttp.Exchange> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.readUntilClosed(socket, 20_000);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream out = socket.getOutputStream();
            try {
                out.write(Http2Frames.prefaceAndSettings());
                out.write(Http2Frames.frame(Http2Frames.HEADERS, 0, 1, Http2Frames.getRequestBlock(ZONE, "/cont", nextId("cont"))));
                // A literal header whose value spans the CONTINUATION frames: 0x00, name, then a huge length prefix.
                while (sent < (64L << 20) && !reader.isDone()) {
                    out.write(Http2Frames.frame(Http2Frames.CONTINUATION, 0, 1, filler));
                    sent += filler.length;
                }
            } catch (IOException closedByEdge) {
                // expected: the edge gave up on this connection
            }
            socket.shutdownOutput();
            answer = reader.get(30, TimeUnit.SECONDS);
        } catch (IOException closedEarly) {
            answer = new RawHttp.Exchange(new byte[0], true);
        }
        System.out.printf("scenario 4: CONTINUATION flood: %d KiB sent before the edge ended the connection%n", sent / 1024);
        assertThat(answer.closedByPeer()).as("connection closed by the edge").isTrue();
        assertThat(sent).as("bytes accepted before the edge ended the connection").isLessThan(64L << 20);
    }

    @Test
    @Order(9)
    void theWellBehavedVisitorWasServedThroughoutAndMemoryStayedBounded() throws Exception {
        visiting.set(false);
        visitor.get(30, TimeUnit.SECONDS);
        NodeMemory.Sample after = NodeMemory.of(target.process().pid());
        System.out.printf("scenario 4: well-behaved visitor served %d requests during the attacks, %d failed; "
                + "edge-a before: %s, after: %s%n", served.get(), visitorFailures.size(), before, after);
        assertThat(visitorFailures).as("the well-behaved visitor's failed requests").isEmpty();
        assertThat(served.get()).isPositive();
        assertThat(target.process().alive()).isTrue();
        assertThat(after.liveHeapBytes()).as("live heap after a full GC").isLessThan(before.liveHeapBytes() + (64L << 20));
        assertThat(after.rssBytes()).as("resident set").isLessThan(before.rssBytes() + (256L << 20));
    }

    // --- helpers

    private String nextId(String kind) {
        return (kind.startsWith("pp") ? "pp-" : kind + "-") + idCounter.incrementAndGet();
    }

    private String get(String id) {
        return "GET /pp/" + id + " HTTP/1.1\r\nHost: " + ZONE + "\r\n" + RecordingOrigin.TEST_ID + ": " + id
                + "\r\nConnection: close\r\n\r\n";
    }

    private String firstLine(RawHttp.Exchange answer) {
        String t = answer.text();
        int end = t.indexOf("\r\n");
        return t.isEmpty() ? "(nothing" + (answer.closedByPeer() ? ", closed)" : ", still open)") : end < 0 ? t : t.substring(0, end);
    }

    /** Sends a header line every 300 ms (at most 40) until the edge answers or closes; returns what came back. */
    private RawHttp.Exchange drip(Socket socket, OutputStream out) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        for (int i = 0; i < 40; i++) {
            try {
                out.write(("X-Drip-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closed) {
                return new RawHttp.Exchange(got.toByteArray(), true);
            }
            try {
                int n = in.read(buffer); // waits up to the socket's 300 ms timeout: the drip's pace
                if (n < 0) {
                    return new RawHttp.Exchange(got.toByteArray(), true);
                }
                got.write(buffer, 0, n);
            } catch (SocketTimeoutException quiet) {
                // nothing yet: drip on
            } catch (IOException reset) {
                return new RawHttp.Exchange(got.toByteArray(), true);
            }
        }
        return new RawHttp.Exchange(got.toByteArray(), false);
    }

    /** Writes {@code bytes} from another thread while reading whatever the edge answers until it closes. */
    private RawHttp.Exchange sendWhileReading(byte[] bytes, int maxMillis) throws Exception {
        try (Socket socket = RawHttp.connect(EDGE_HOST, target.httpPort(), maxMillis)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(bytes);
                    socket.getOutputStream().flush();
                } catch (IOException closedByEdge) {
                    // the edge may close mid-write; that is one of the outcomes under test
                }
            });
            RawHttp.Exchange answer = RawHttp.readUntilClosed(socket, maxMillis);
            socket.close();
            writer.get(10, TimeUnit.SECONDS);
            return answer;
        }
    }

    private String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 16384) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The status code of the first close frame (server frames are unmasked), or -1. */
    private int closeCode(byte[] bytes) {
        int i = 0;
        while (i + 2 <= bytes.length) {
            int opcode = bytes[i] & 0x0f;
            int len = bytes[i + 1] & 0x7f;
            int headerLength = 2;
            if (len == 126) {
                if (i + 4 > bytes.length) {
                    return -1;
                }
                len = ((bytes[i + 2] & 0xff) << 8) | (bytes[i + 3] & 0xff);
                headerLength = 4;
            } else if (len == 127) {
                return -1;
            }
            if (opcode == 0x8) {
                return len >= 2 && i + headerLength + 2 <= bytes.length
                        ? ((bytes[i + headerLength] & 0xff) << 8) | (bytes[i + headerLength + 1] & 0xff)
                        : 1005;
            }
            i += headerLength + len;
        }
        return -1;
    }
}
