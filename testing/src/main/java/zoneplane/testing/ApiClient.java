package zoneplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real HTTP client for tests (JDK HttpClient): sends JSON, remembers a bearer token and
 * extra headers, and returns status, headers and the parsed body. A transport failure (a refused
 * connection, a request past its timeout) is an {@link UncheckedIOException}. The few calls most tests
 * make (a zone, a bulk settings PATCH, propagation) have a method of their own; paths are relative to
 * the base URL given (usually {@code http://host:port/client/v4} or {@code http://host:port}).
 */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final Map<String, String> headers;
    private final Duration timeout;

    public ApiClient(String baseUrl) {
        this(baseUrl, Map.of(), DEFAULT_TIMEOUT);
    }

    private ApiClient(String baseUrl, Map<String, String> headers, Duration timeout) {
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.timeout = timeout;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A client that sends {@code Authorization: Bearer token} on every request. */
    public ApiClient withToken(String token) {
        return withHeader("Authorization", "Bearer " + token);
    }

    public ApiClient withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiClient(baseUrl, copy, timeout);
    }

    /** The same client with another per-request timeout (a hang beyond it throws). */
    public ApiClient withTimeout(Duration requestTimeout) {
        return new ApiClient(baseUrl, headers, requestTimeout);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Response patch(String path, String json) {
        return send("PATCH", path, json, "application/json");
    }

    public Response put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    /** Any method, raw body and content type (null for none), for error-path tests. */
    public Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates an account and a zone on it through the API; returns the zone id. */
    public String createZone(String name, String plan, String origin) {
        Response account = require(post("/accounts", "{\"name\":\"Account of " + name + "\"}"));
        String accountId = account.result().get("id").asString();
        Response zone = require(post("/zones", "{\"account\":{\"id\":\"" + accountId + "\"},\"name\":\"" + name
                + "\",\"type\":\"full\",\"plan\":\"" + plan + "\",\"origin\":\"" + origin + "\"}"));
        return zone.result().get("id").asString();
    }

    /** One bulk PATCH (one transaction, one revision) of string-valued settings. */
    public Response patchSettings(String zoneId, Map<String, String> values) {
        return patch("/zones/" + zoneId + "/settings", items(values));
    }

    /** A bulk settings PATCH body: {@code {"items":[{"id":…,"value":…},…]}}. */
    public static String items(Map<String, String> values) {
        StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
        values.forEach((id, value) -> items.add("{\"id\":\"" + id + "\",\"value\":\"" + value + "\"}"));
        return items.toString();
    }

    /** A zone's {@code /propagation} result. */
    public JsonNode propagation(String zoneId) {
        return require(get("/zones/" + zoneId + "/propagation")).result();
    }

    /** A string-valued setting's value as the API reads it. */
    public String setting(String zoneId, String setting) {
        return require(get("/zones/" + zoneId + "/settings/" + setting)).result().get("value").asString();
    }

    /** The response itself when it is a 2xx success envelope; otherwise an {@link AssertionError} naming it. */
    public static Response require(Response response) {
        if (response.status() / 100 != 2 || !response.success()) {
            throw new AssertionError("API call failed: " + response);
        }
        return response;
    }

    /** One answer. {@link #json()} parses the body (which every API answer has). */
    public record Response(int status, HttpResponse<String> raw, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public JsonNode result() {
            return json().get("result");
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        /** Whether the body is an envelope with {@code success: true} (false for a body that is not JSON). */
        public boolean success() {
            try {
                JsonNode success = json().get("success");
                return success != null && success.asBoolean();
            } catch (RuntimeException notJson) {
                return false;
            }
        }

        /** A Cloudflare envelope with success=false and at least one error (never a bare HTML/stack page). */
        public boolean isErrorEnvelope() {
            try {
                JsonNode root = json();
                return root.has("success") && !root.get("success").asBoolean()
                        && root.get("errors").isArray() && root.get("errors").size() > 0;
            } catch (RuntimeException notJson) {
                return false;
            }
        }

        /** The {@code Zoneplane-Revision} header; an {@link AssertionError} when there is none. */
        public long revision() {
            return Long.parseLong(header("Zoneplane-Revision").orElseThrow(
                    () -> new AssertionError("no Zoneplane-Revision header: " + this)));
        }

        /** The first error code in the envelope, or -1. */
        public int errorCode() {
            JsonNode errors = json().get("errors");
            return errors != null && errors.size() > 0 ? errors.get(0).get("code").asInt() : -1;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
