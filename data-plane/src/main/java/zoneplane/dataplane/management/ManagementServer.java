package zoneplane.dataplane.management;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.dataplane.config.DataPlaneEndpoints;

/**
 * The management listener, apart from visitor traffic: liveness (200 while the process runs),
 * readiness (200 once a view is loaded and the node is not draining, else 503), health details
 * ({@link DataPlaneEndpoints#HEALTH_DETAILS_PATH}) and Prometheus text.
 */
public final class ManagementServer {

    private static final JsonFactory JSON = new JsonFactory();

    private ManagementServer() {}

    public static DisposableServer start(String bindAddress, int port, PrometheusMeterRegistry registry,
            BooleanSupplier ready, Supplier<Map<String, String>> healthDetails) {
        return HttpServer.create()
                .bindAddress(() -> new InetSocketAddress(bindAddress, port))
                .route(routes -> routes
                        .get(DataPlaneEndpoints.LIVENESS_PATH, (req, res) -> text(res, HttpResponseStatus.OK, "UP\n"))
                        .get(DataPlaneEndpoints.READINESS_PATH, (req, res) -> ready.getAsBoolean()
                                ? text(res, HttpResponseStatus.OK, "UP\n")
                                : text(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "OUT_OF_SERVICE\n"))
                        .get(DataPlaneEndpoints.HEALTH_DETAILS_PATH, (req, res) -> res.status(HttpResponseStatus.OK)
                                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendString(Mono.fromCallable(() -> detailsJson(healthDetails.get()))).then())
                        .get(DataPlaneEndpoints.METRICS_PATH, (req, res) -> {
                            res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                            return res.sendString(Mono.fromCallable(registry::scrape));
                        }))
                .bindNow();
    }

    private static String detailsJson(Map<String, String> details) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("status", details.values().stream().allMatch("ok"::equals) ? "UP" : "DEGRADED");
            g.writeName("details");
            g.writeStartObject();
            for (Map.Entry<String, String> e : details.entrySet()) {
                g.writeStringProperty(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.append('\n').toString();
    }

    private static Mono<Void> text(HttpServerResponse res, HttpResponseStatus status, String body) {
        return res.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just(body))
                .then();
    }
}
