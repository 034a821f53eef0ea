package zoneplane.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of one control-plane replica's public API (JDK HttpClient, operator token, JSON bodies),
 * as curl or a dashboard backend would call it.
 */
final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;
    private final String token;
    private final Duration timeout;

    Api(String baseUrl, String token) {
        this(baseUrl, token, Duration.ofSeconds(30));
    }

    private Api(String baseUrl, String token, Duration timeout) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
    }

    /** The same client with another per-request timeout (a hang beyond it throws). */
    Api withTimeout(Duration requestTimeout) {
        return new Api(baseUrl, token, requestTimeout);
    }

    /** One answer: status, body parsed as JSON when it is JSON, and headers. */
    record Response(int status, String body, HttpResponse<String> raw) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        JsonNode result() {
            return json().get("result");
        }

        boolean success() {
            try {
                JsonNode s = json().get("success");
                return s != null && s.asBoolean();
            } catch (RuntimeException notJson) {
                return false;
            }
        }

        /** A Cloudflare envelope with success=false and at least one error (never a bare HTML/stack page). */
        boolean isErrorEnvelope() {
            try {
                JsonNode root = json();
                return root.has("success") && !root.get("success").asBoolean()
                        && root.get("errors").isArray() && root.get("errors").size() > 0;
            } catch (RuntimeException notJson) {
                return false;
            }
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        long revision() {
            return Long.parseLong(header("Zoneplane-Revision").orElseThrow(
                    () -> new AssertionError("no Zoneplane-Revision header: " + this)));
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, Map.of());
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json, Map.of());
    }

    Response patch(String path, String json) throws IOException, InterruptedException {
        return send("PATCH", path, json, Map.of());
    }

    Response send(String method, String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/client/v4" + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response);
    }

    /** Creates an account and a zone on it; returns the zone id. */
    String createZone(String name, String plan, String origin) throws IOException, InterruptedException {
        Response account = require(post("/accounts", "{\"name\":\"System " + name + "\"}"));
        String accountId = account.result().get("id").asString();
        Response zone = require(post("/zones", "{\"account\":{\"id\":\"" + accountId + "\"},\"name\":\"" + name
                + "\",\"type\":\"full\",\"plan\":\"" + plan + "\",\"origin\":\"" + origin + "\"}"));
        return zone.result().get("id").asString();
    }

    /** One bulk PATCH (one transaction, one revision) of string-valued settings. */
    Response patchSettings(String zoneId, Map<String, String> values) throws IOException, InterruptedException {
        return patch("/zones/" + zoneId + "/settings", items(values));
    }

    static String items(Map<String, String> values) {
        StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
        values.forEach((id, value) -> items.add("{\"id\":\"" + id + "\",\"value\":\"" + value + "\"}"));
        return items.toString();
    }

    JsonNode propagation(String zoneId) throws IOException, InterruptedException {
        return require(get("/zones/" + zoneId + "/propagation")).result();
    }

    String setting(String zoneId, String setting) throws IOException, InterruptedException {
        return require(get("/zones/" + zoneId + "/settings/" + setting)).result().get("value").asString();
    }

    static Response require(Response response) {
        if (response.status() / 100 != 2 || !response.success()) {
            throw new AssertionError("API call failed: " + response);
        }
        return response;
    }
}
