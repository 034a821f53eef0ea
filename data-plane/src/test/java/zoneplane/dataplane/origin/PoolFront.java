package zoneplane.dataplane.origin;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A minimal front for {@link OriginPool} tests: a Reactor Netty server on 127.0.0.1 that sends each
 * request to the origin its {@code X-Origin} header names, through the pool under test, and relays the
 * answer; a failed call is answered 502 with the exception's text, so tests can tell failures apart.
 */
final class PoolFront implements AutoCloseable {

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final DisposableServer server;

    PoolFront(OriginPool pool) {
        server = HttpServer.create().host("127.0.0.1").port(0).handle((req, res) -> {
            Channel[] visitor = new Channel[1];
            req.withConnection(c -> visitor[0] = c.channel());
            String target = req.requestHeaders().get("X-Origin");
            HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.HOST, URI.create(target).getAuthority());
            return pool.send(visitor[0], target, InetAddress.getLoopbackAddress(), req.method(), req.uri(), headers,
                            null, Long.MAX_VALUE)
                    .flatMap(response -> res.status(response.status()).send(response.body()).then())
                    .onErrorResume(error -> res.status(502).sendString(Mono.just(error.toString())).then());
        }).bindNow();
    }

    /** GET {@code path} through the pool from the origin at {@code originUrl}. */
    HttpResponse<String> get(String originUrl, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("X-Origin", originUrl).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
