package zoneplane.system.analytics;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import zoneplane.dataplane.support.H2Visitor;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.RawWebSocket;

/**
 * Visitors behind a PROXY-protocol balancer: each connection starts with a PROXY v1 header naming the
 * visitor's address, then speaks HTTP/1.1, HTTP/2 (h2c by prior knowledge) or gRPC over HTTP/2. Each
 * call answers what the visitor itself counted: bytes received from the edge (on the wire for HTTP/1.1
 * and WebSockets; HTTP/2 as {@link H2Visitor.Stream#accountedBytes} defines it) and bytes it sent.
 */
final class Visitors {

    /** One visit as the visitor saw it. */
    record Visit(String country, int status, String protocol, long bytesToClient, long bytesFromClient) {}

    private final int edgePort;

    Visitors(int edgePort) {
        this.edgePort = edgePort;
    }

    static String proxyHeader(String visitorIp, int visitorPort) {
        return "PROXY TCP4 " + visitorIp + " 127.0.0.1 " + visitorPort + " 80\r\n";
    }

    /** One HTTP/1.1 GET on its own connection ({@code Connection: close}); all bytes until the edge closes. */
    Visit http1(String country, String visitorIp, String host, String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: analytics-e2e\r\n"
                + "Connection: close\r\n\r\n";
        RawHttp.Exchange answer = RawHttp.untilClosed("127.0.0.1", edgePort,
                proxyHeader(visitorIp, 41000) + request, 10_000);
        return new Visit(country, answer.status(), "HTTP/1.1", answer.bytes().length, request.length());
    }

    /** One HTTP/2 GET on stream 1 of a new cleartext connection. */
    Visit h2(String country, String visitorIp, String host, String path) throws IOException {
        Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").authority(host).path(path);
        H2Visitor.Stream stream = h2Exchange(visitorIp, headers, null);
        return new Visit(country, stream.status(), "HTTP/2", stream.accountedBytes, 0);
    }

    /**
     * One gRPC unary call ({@code zoneplane.test.Echo/Unary}, the data plane's {@code GrpcEcho}) framed by
     * hand so the visitor can count the edge's bytes: HEADERS, one length-prefixed DATA message, then
     * the origin's reply and trailers. Answers the reply's message in {@code reply[0]}.
     */
    Visit grpc(String country, String visitorIp, String host, String message, String[] reply) throws IOException {
        Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("http").authority(host)
                .path("/zoneplane.test.Echo/Unary").add("content-type", "application/grpc").add("te", "trailers");
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] framed = ByteBuffer.allocate(5 + text.length).put((byte) 0).putInt(text.length).put(text).array();
        H2Visitor.Stream stream = h2Exchange(visitorIp, headers, framed);
        byte[] body = stream.body.toByteArray();
        reply[0] = body.length > 5 ? new String(body, 5, body.length - 5, StandardCharsets.UTF_8) : "";
        return new Visit(country, stream.status(), "HTTP/2", stream.accountedBytes, 0);
    }

    private H2Visitor.Stream h2Exchange(String visitorIp, Http2Headers headers, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edgePort), 3000);
            socket.getOutputStream().write(proxyHeader(visitorIp, 41001).getBytes(StandardCharsets.ISO_8859_1));
            H2Visitor h2 = H2Visitor.over(socket).preface();
            h2.request(1, headers, body == null);
            if (body != null) {
                h2.frame(0x0, 0x1, 1, body); // DATA, END_STREAM
            }
            return h2.await(1, Duration.ofSeconds(10));
        }
    }

    /** A WebSocket to {@code host}{@code path}, its handshake answered (the caller closes it). */
    RawWebSocket webSocket(String visitorIp, String host, String path) throws IOException {
        return RawWebSocket.open(edgePort, host, path, proxyHeader(visitorIp, 41002));
    }

    /** The upgrade request {@link RawWebSocket#open} sends (the visitor's bytes of the handshake). */
    static long webSocketHandshakeBytes(String host, String path) {
        return RawWebSocket.handshake(host, path).length();
    }

    /** A masked client frame of {@code payload} bytes (under 126): 2 header bytes, 4 mask bytes. */
    static long clientFrameBytes(int payload) {
        return 2 + 4 + payload;
    }

    /** An unmasked server frame of {@code payload} bytes (under 126). */
    static long serverFrameBytes(int payload) {
        return 2 + payload;
    }
}
