package zoneplane.dataplane.demo;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A demo origin for local runs: answers every request with a plain-text page listing the method, the
 * path, the peer and every request header it received, so a newcomer sees what the edge adds
 * ({@code CF-IPCountry}, {@code CF-Ray}, {@code X-Forwarded-For}, …). Port from the first argument,
 * else {@code ECHO_ORIGIN_PORT}, else 8081. Not for production.
 */
public final class EchoOrigin {

    private EchoOrigin() {}

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("ECHO_ORIGIN_PORT", "8081"));
        DisposableServer server = start("127.0.0.1", port);
        System.out.println("echo origin listening on http://127.0.0.1:" + server.port());
        server.onDispose().block();
    }

    public static DisposableServer start(String host, int port) {
        return HttpServer.create()
                .bindAddress(() -> new InetSocketAddress(host, port))
                .handle((req, res) -> {
                    StringBuilder page = new StringBuilder();
                    page.append(req.method().name()).append(' ').append(req.uri()).append(' ')
                            .append(req.version().text()).append('\n');
                    page.append("peer: ").append(req.remoteAddress()).append("\n\n");
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    req.requestHeaders().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b));
                    headers.forEach((name, value) -> page.append(name).append(": ").append(value).append('\n'));
                    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                            .sendString(req.receive().then(Mono.just(page.toString())));
                })
                .bindNow();
    }
}
