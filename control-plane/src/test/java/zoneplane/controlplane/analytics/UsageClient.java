package zoneplane.controlplane.analytics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.datasketches.hll.HllSketch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.model.wire.UsageReport;
import zoneplane.model.wire.UsageReport.HttpGroup;
import zoneplane.model.wire.UsageReport.WebSocketMinute;
import zoneplane.model.wire.UsageReport.ZoneMinute;

/**
 * What the tests send and ask over real HTTP: usage reports as a node ships them (gzip, node
 * token) and GraphQL queries as Cloudflare's clients post them. Public for the console's Traffic page
 * tests (dashboard package), which post the same reports.
 */
public final class UsageClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String nodeToken;

    public UsageClient(int port, String nodeToken) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.nodeToken = nodeToken;
    }

    /** An HLL sketch of these visitor addresses, as a node serializes it. */
    public static byte[] visitors(String... addresses) {
        HllSketch sketch = new HllSketch(12);
        for (String a : addresses) {
            sketch.update(a);
        }
        return sketch.toCompactByteArray();
    }

    public static HttpGroup group(String country, int status, String protocol, String ssl, long requests, long bytesToClient) {
        return new HttpGroup(country, status, protocol, UsageReport.KIND_HTTP, ssl, "www.example.com", "html", requests,
                bytesToClient, requests * 100);
    }

    public static ZoneMinute minute(String zone, Instant minute, byte[] uniques, WebSocketMinute ws, HttpGroup... groups) {
        return new ZoneMinute(zone, minute, List.of(groups), uniques, ws);
    }

    public record Answer(int status, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    public Answer post(String node, UsageReport report) {
        return postRaw(node, gzip(report.toJson().getBytes(StandardCharsets.UTF_8)), "gzip", nodeToken);
    }

    Answer postRaw(String node, byte[] body, String encoding, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/internal/v1/nodes/" + node + "/usage"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** A GraphQL query as Cloudflare's clients send it ({@code path} is /client/v4/graphql or with a slash). */
    Answer graphql(String token, String path, String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    Answer graphql(String token, String query, Map<String, Object> variables) {
        return graphql(token, "/client/v4/graphql", query, variables);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
