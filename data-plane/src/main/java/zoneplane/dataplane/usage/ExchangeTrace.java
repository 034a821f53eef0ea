package zoneplane.dataplane.usage;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import zoneplane.dataplane.visitor.Visitor;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.UsageReport;

/**
 * What the request path learns of one exchange while it runs, turned into an {@link ExchangeRecord} when
 * it ends. The request path calls the steps it knows of, in order; each is a few field writes. Confined
 * to the visitor connection's event loop, except {@link #end}, which moves there itself.
 * {@link #OFF} (no listener) ignores every call.
 */
public final class ExchangeTrace {

    /** The trace of an exchange nobody listens to. */
    public static final ExchangeTrace OFF = new ExchangeTrace(null, null, false, "", Instant.EPOCH, 0);

    private final ExchangeHook hook;
    private final Channel channel;
    private final boolean tls;
    private final String ray;
    private final Instant start;
    private final long startNanos;
    private final WireCounter wire;

    private ExchangeRecord.Kind kind = ExchangeRecord.Kind.HTTP;
    private String method = "";
    private String uri = "";
    private String protocol = "";
    private String host = "";
    private String userAgent = "";
    private String referer = "";
    private ZoneConfig zone;
    private InetAddress client;
    private int clientPort;
    private boolean https;
    private int originStatus;
    private String originIp = "";
    private long originNanos;
    private long firstByteNanos;
    private int status;
    private String contentType = "";
    private long upgradeSent;
    private boolean webSocket;
    private volatile boolean closedCleanly = true;
    private boolean ended;

    ExchangeTrace(ExchangeHook hook, Channel channel, boolean tls, String ray, Instant start, long startNanos) {
        this.hook = hook;
        this.channel = channel;
        this.tls = tls;
        this.https = tls;
        this.ray = ray;
        this.start = start;
        this.startNanos = startNanos;
        this.wire = channel == null ? null : counter(channel);
    }

    private static WireCounter counter(Channel channel) {
        // An HTTP/2 stream's own counter, or the HTTP/1.x connection's (null if it joined no pipeline).
        return channel.pipeline().get(WireCounter.NAME) instanceof WireCounter counter ? counter : null;
    }

    private boolean off() {
        return hook == null;
    }

    /** The request's head. */
    public void request(HttpMethod method, String uri, HttpVersion version, HttpHeaders headers) {
        if (off()) {
            return;
        }
        this.method = method.name();
        this.uri = uri;
        this.protocol = channel instanceof Http2StreamChannel ? "HTTP/2" : version.text();
        String host = headers.get(HttpHeaderNames.HOST);
        this.host = host == null ? "" : host;
        String agent = headers.get(HttpHeaderNames.USER_AGENT);
        this.userAgent = agent == null ? "" : agent;
        String referer = headers.get(HttpHeaderNames.REFERER);
        this.referer = referer == null ? "" : referer;
    }

    /**
     * What admission decided: the routed zone (or null) and the visitor, as resolved ({@code visitor}) or,
     * for a request refused before that, as its connection named it ({@code source}).
     */
    public void admitted(ZoneConfig zone, Visitor visitor, SocketAddress source, boolean grpc) {
        if (off()) {
            return;
        }
        this.zone = zone;
        InetSocketAddress inet = source instanceof InetSocketAddress a ? a : null;
        if (visitor != null) {
            client = visitor.address();
            https = visitor.https();
            clientPort = inet != null && visitor.address().equals(inet.getAddress()) ? inet.getPort() : 0;
        } else if (inet != null) {
            client = inet.getAddress();
            clientPort = inet.getPort();
        }
        if (grpc) {
            kind = ExchangeRecord.Kind.GRPC;
        }
    }

    /** The origin's response head arrived ({@code origin}: the address it came from, or null). */
    public void originResponded(int status, SocketAddress origin) {
        if (off()) {
            return;
        }
        originNanos = System.nanoTime();
        originStatus = status;
        if (origin instanceof InetSocketAddress inet && inet.getAddress() != null) {
            originIp = inet.getAddress().getHostAddress();
        }
    }

    /** The response head goes to the visitor now. */
    public void responding(int status, CharSequence contentType) {
        if (off()) {
            return;
        }
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
        this.status = status;
        this.contentType = mediaType(contentType);
    }

    /** The visitor is upgraded to a WebSocket: its one request is counted now, its bytes from here on. */
    public void webSocketOpened() {
        if (off() || webSocket) {
            return;
        }
        ExchangeHook.onLoop(channel, () -> {
            webSocket = true;
            kind = ExchangeRecord.Kind.WEBSOCKET;
            status = 101;
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
            long sent = wire == null ? 0 : wire.takeSent();
            upgradeSent = sent;
            ExchangeRecord upgrade = record(hook.clock().instant(), sent, 0, wire == null ? 0 : wire.takeReceived(),
                    true);
            hook.opened(upgrade, wire == null ? new WireCounter.Connection() : wire);
        });
    }

    /** The WebSocket's session ended: with a close frame ({@code cleanly}), or by a lost connection. Any thread. */
    public void webSocketClosed(boolean cleanly) {
        if (!off()) {
            closedCleanly = cleanly;
        }
    }

    /**
     * The exchange ended with {@code status} and {@code contentType}, as Reactor Netty's path reads them
     * from the response (any thread: the record is built on the visitor's loop).
     */
    public void end(int status, CharSequence contentType) {
        if (off()) {
            return;
        }
        ExchangeHook.onLoop(channel, () -> {
            if (!webSocket) {
                this.status = status;
            }
            if (this.contentType.isEmpty() && contentType != null) {
                this.contentType = mediaType(contentType);
            }
            finish(-1);
        });
    }

    /** The exchange ended (the plain HTTP/1.1 path, on the loop) with {@code bodyBytes} of response body sent. */
    public void end(int status, long bodyBytes) {
        if (off()) {
            return;
        }
        this.status = status;
        finish(bodyBytes);
    }

    /** @param bodyBytes the response body's bytes when the caller counted them, else -1 */
    private void finish(long bodyBytes) {
        if (ended) {
            return;
        }
        ended = true;
        long sent = wire == null ? 0 : wire.takeSent();
        long counted = wire == null ? 0 : wire.takeBody();
        long body = bodyBytes >= 0 ? bodyBytes : counted;
        long received = wire == null ? 0 : wire.takeReceived();
        if (webSocket) {
            // Everything sent over the connection's life, the 101 included; the frames are its body.
            body = sent;
            sent += upgradeSent;
        }
        hook.ended(record(hook.clock().instant(), sent, body, received, !webSocket || closedCleanly));
    }

    private ExchangeRecord record(Instant end, long sent, long body, long received, boolean clean) {
        long ttfb = firstByteNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstByteNanos - startNanos);
        long originMillis = originNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(originNanos - startNanos);
        return new ExchangeRecord(kind, ray, zone == null ? "" : zone.id(), zone == null ? "" : zone.name(),
                hook.nodeId(), client == null ? "" : client.getHostAddress(), clientPort, hook.country(client), host,
                method, uri, protocol, https ? "https" : "http", sslProtocol(), userAgent, referer, received, start, end,
                ttfb, status, sent, body, contentType, serverIp(), originIp, originStatus, originMillis, clean);
    }

    private String sslProtocol() {
        if (!tls) {
            return UsageReport.NO_TLS;
        }
        Channel connection = channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
        SslHandler ssl = connection.pipeline().get(SslHandler.class);
        String version = ssl == null ? null : ssl.engine().getSession().getProtocol();
        return version == null ? "" : version;
    }

    private String serverIp() {
        Channel connection = channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
        SocketAddress local = connection.localAddress();
        return local instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "";
    }

    /** {@code text/html; charset=utf-8} → {@code text/html}. */
    private static String mediaType(CharSequence contentType) {
        if (contentType == null) {
            return "";
        }
        String type = contentType.toString();
        int parameters = type.indexOf(';');
        return (parameters < 0 ? type : type.substring(0, parameters)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return off() ? "ExchangeTrace{off}" : "ExchangeTrace{ray=" + ray + ", kind=" + kind + "}";
    }
}
