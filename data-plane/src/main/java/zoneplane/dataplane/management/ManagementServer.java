package zoneplane.dataplane.management;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import zoneplane.dataplane.DataPlaneEndpoints;

/**
 * The management listener, apart from visitor traffic: liveness (200 while the process runs),
 * readiness (200 once a view is loaded and the node is not draining, else 503) and Prometheus text.
 */
public final class ManagementServer {

    private ManagementServer() {}

    public static DisposableServer start(String bindAddress, int port, PrometheusMeterRegistry registry,
            BooleanSupplier ready) {
        return HttpServer.create()
                .bindAddress(() -> new InetSocketAddress(bindAddress, port))
                .route(routes -> routes
                        .get(DataPlaneEndpoints.LIVENESS_PATH, (req, res) -> text(res, HttpResponseStatus.OK, "UP\n"))
                        .get(DataPlaneEndpoints.READINESS_PATH, (req, res) -> ready.getAsBoolean()
                                ? text(res, HttpResponseStatus.OK, "UP\n")
                                : text(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "OUT_OF_SERVICE\n"))
                        .get(DataPlaneEndpoints.METRICS_PATH, (req, res) -> {
                            res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                            return res.sendString(Mono.fromCallable(registry::scrape));
                        }))
                .bindNow();
    }

    private static Mono<Void> text(HttpServerResponse res, HttpResponseStatus status, String body) {
        return res.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just(body))
                .then();
    }
}
