package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.RawHttp;
import zoneplane.testing.Envelopes;

/**
 * The fuzz that keeps every documented operation honest: it reads {@code /openapi.json} from the
 * running control plane, walks every operation, and sends malformed variants of each over raw
 * sockets (so bad percent-encoding reaches the server as sent): missing, garbage, malformed,
 * unknown, revoked and other-tenant credentials; path identifiers and query strings that do not
 * decode or name nothing; wrong types, huge numbers, deep nesting, control characters, duplicate
 * keys and oversized bodies; wrong, wildcard and malformed content types; wrong methods. Every
 * variant is invalid by construction, so every answer must be a 4xx in the Cloudflare envelope
 * ({@code success:false}, {@code errors[]} each with a numeric {@code code} and a {@code message}),
 * never a 5xx, never an internal name, and the database must not change. An operation added to the
 * API is fuzzed without touching this test. Seeded; the seed and the count are printed.
 */
class OpenApiFuzzTest extends ControlPlaneIntegrationTest {

    static final long SEED = Long.getLong("zoneplane.fuzz.seed", 20261207L);
    static final int MIN_REQUESTS = 2_000;
    static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH");
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One documented operation: method, path template, its query parameter names, its body's fields. */
    record Operation(String method, String template, List<String> query, Map<String, String> bodyFields, boolean hasBody) {

        boolean internal() {
            return template.startsWith("/internal/");
        }

        boolean hasPathIds() {
            return template.contains("{");
        }
    }

    /** One request to send and why it is invalid (for the failure message). */
    record Variant(String why, String method, String target, Map<String, String> headers, String body) {}

    @Autowired
    JdbcClient jdbc;

    SecurityFixtures fixtures;
    String account;
    String zone;
    String tokenId;
    String otherTenantToken;
    String revokedToken;
    Random random;

    @Test
    void everyDocumentedOperationAnswersMalformedVariantsWithTheEnvelopeAndNever5xx() {
        fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
        zone = fixtures.zone(account);
        tokenId = fixtures.token(account, "zone:read").id();
        revokedToken = fixtures.revokedToken(account, "zone:edit", "zone_settings:edit", "account:admin").value();
        String other = fixtures.account();
        otherTenantToken = fixtures.token(other, "zone:edit", "zone_settings:edit", "account:admin").value();
        random = new Random(SEED);

        List<Operation> operations = operations(JSON.readTree(anonymous().get("/openapi.json").body()));
        assertThat(operations).as("operations in /openapi.json").hasSizeGreaterThanOrEqualTo(20);
        String before = fixtures.fingerprint();
        int sent = 0;
        for (int round = 0; sent < MIN_REQUESTS; round++) {
            for (Operation operation : operations) {
                for (Variant variant : variants(operation, round)) {
                    long start = System.nanoTime();
                    RawHttp.Answer answer = RawHttp.exchange(port, render(variant));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (millis > 1000) {
                        System.out.println("SLOW " + millis + " ms: " + operation.method() + " " + operation.template() + " / " + variant.why());
                    }
                    check(operation, variant, answer);
                    sent++;
                }
            }
        }
        System.out.println("OpenApiFuzzTest: " + sent + " malformed requests over " + operations.size()
                + " documented operations, seed " + SEED);
        assertThat(sent).isGreaterThanOrEqualTo(MIN_REQUESTS);
        assertThat(fixtures.fingerprint()).as("the database after the fuzz").isEqualTo(before);
    }

    static void check(Operation operation, Variant variant, RawHttp.Answer answer) {
        String context = "seed " + SEED + ": " + operation.method() + " " + operation.template() + " / " + variant.why()
                + " / " + variant.method() + " " + abbreviate(variant.target()) + " -> " + answer;
        assertThat(answer.status()).as(context).isBetween(400, 499);
        assertThat(answer.headers().get("content-type")).as(context).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json.get("success").asBoolean(true)).as(context).isFalse();
        assertThat(json.get("errors").isArray() && !json.get("errors").isEmpty()).as(context).isTrue();
        for (JsonNode error : json.get("errors")) {
            assertThat(error.get("code").isIntegralNumber()).as(context).isTrue();
            assertThat(error.get("message").isString() && !error.get("message").asString().isBlank()).as(context).isTrue();
        }
        Envelopes.assertNoInternals(answer.body());
    }

    // ---- the document ----------------------------------------------------------------------

    static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                String method = entry.getKey().toUpperCase(Locale.ROOT);
                if (!METHODS.contains(method)) {
                    continue;
                }
                JsonNode operation = entry.getValue();
                List<String> query = new ArrayList<>();
                for (JsonNode parameter : operation.path("parameters")) {
                    if ("query".equals(parameter.path("in").asString())) {
                        query.add(parameter.get("name").asString());
                    }
                }
                JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
                operations.add(new Operation(method, path.getKey(), query, fields(document, schema), operation.has("requestBody")));
            }
        }
        return operations;
    }

    /** The body schema's properties and their JSON types ("object" when not stated). */
    static Map<String, String> fields(JsonNode document, JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            schema = document.get("components").get("schemas").path(name);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            fields.put(property.getKey(), property.getValue().path("type").asString("object"));
        }
        return fields;
    }

    // ---- the variants ----------------------------------------------------------------------

    List<Variant> variants(Operation op, int round) {
        List<Variant> variants = new ArrayList<>();
        String target = fill(op.template(), Map.of());
        String body = op.hasBody() ? "{}" : null;
        credentials(op, target, body, variants);
        if (op.hasPathIds()) {
            for (String name : pathVariables(op.template())) {
                for (String bad : badIdentifiers(round)) {
                    variants.add(new Variant("path " + name + "=" + bad, op.method(), fill(op.template(), Map.of(name, bad)),
                            operator(), body));
                }
            }
        }
        for (String query : undecodableQueries(round)) {
            variants.add(new Variant("query " + query, op.method(), target + "?" + query, operator(), body));
        }
        for (String name : op.query()) {
            if (Set.of("page", "per_page", "after").contains(name)) {
                String junk = Hostile.pick(random, "abc", "-1", "0", "1e3", "99999999999999999999", "%20", "1.5", "0x10");
                variants.add(new Variant("query " + name + "=" + junk, op.method(), target + "?" + name + "=" + junk, operator(), body));
            }
        }
        if (op.hasBody()) {
            bodies(op, target, round, variants);
        }
        for (String method : wrongMethods(op)) {
            variants.add(new Variant("method " + method, method, target, operator(), null));
        }
        return variants;
    }

    /** Who may not call: nobody, garbage, malformed, unknown, revoked; another tenant where the path names A's things. */
    void credentials(Operation op, String target, String body, List<Variant> variants) {
        Map<String, String> none = new LinkedHashMap<>();
        variants.add(new Variant("no credentials", op.method(), target, none, body));
        for (String authorization : new String[] {"Bearer", "Bearer a b", "Basic dXNlcjpwYXNz", "Bearer tok\u00e9n",
                "Bearer " + "x".repeat(600), "bearer\t", "Token zpt_x", "Bearer zpt_unknown_" + random.nextInt(1_000_000),
                "Bearer " + revokedToken}) {
            variants.add(new Variant("authorization " + abbreviate(authorization), op.method(), target,
                    Map.of("Authorization", authorization), body));
        }
        if (op.internal()) {
            variants.add(new Variant("API token on the node endpoint", op.method(), target, operator(), body));
        } else if (namesTenantData(op)) {
            variants.add(new Variant("another tenant's token", op.method(), target,
                    Map.of("Authorization", "Bearer " + otherTenantToken), body));
        }
    }

    /** The path names account A's zone or account, so B's token must get 404 (never A's data). */
    private static boolean namesTenantData(Operation op) {
        return op.template().contains("{zone_id}") || op.template().contains("{account_id}");
    }

    List<String> badIdentifiers(int round) {
        List<String> ids = new ArrayList<>(List.of("%zz", "%ff", "%c3%28", "%", SecurityFixtures.newId(), "0".repeat(32)));
        ids.add(round % 2 == 0 ? "A".repeat(32) : "x".repeat(300));
        ids.add(URLEncoder.encode(Hostile.string(random, 40) + "\u0001", StandardCharsets.UTF_8));
        return ids;
    }

    List<String> undecodableQueries(int round) {
        List<String> queries = new ArrayList<>(List.of("%zz=1", "name=%ff", "=", "%"));
        queries.add(Hostile.pick(random, "a=%c3%28", "page=%e2%82", "x=%g0", "name=ok&%=x", "per_page=1&=2", "%ff=1"));
        return queries;
    }

    void bodies(Operation op, String target, int round, List<Variant> variants) {
        List<String> bodies = new ArrayList<>(List.of("null", "[]", "123", "\"value\"", "true", "{", "{\"a\":}", "{'a':1}", "{}{}",
                "[".repeat(3000), "{" + "\"a\":{".repeat(800) + "}".repeat(801), "\u0000", "{\"\u0001\":1}",
                "{\"x\u0000\":\"y\"}", "{\"value\":\"on\",\"value\":\"off\"}", "{\"items\":[],\"items\":[]}",
                "{\"zz_unknown\":123456789012345678901234567890}"));
        bodies.add("{\"name\":\"" + "x".repeat(70_000 + random.nextInt(5_000)) + "\"}");
        bodies.add(Hostile.randomJson(random, 0).startsWith("{") ? "{\"zz_unknown\":" + Hostile.randomJson(random, 3) + "}"
                : "[" + Hostile.randomJson(random, 3) + "]");
        for (Map.Entry<String, String> field : op.bodyFields().entrySet()) {
            for (String wrong : wrongTypes(field.getValue(), round)) {
                bodies.add("{" + Hostile.quote(field.getKey()) + ":" + wrong + "}");
            }
        }
        for (String body : bodies) {
            variants.add(new Variant("body " + abbreviate(body), op.method(), target, withContentType(operator(), "application/json"), body));
        }
        for (String contentType : new String[] {"*/*", "application/*", "text/*", "text/plain", "garbage", "application/xml",
                "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; =x", "*"}) {
            variants.add(new Variant("content type " + contentType, op.method(), target, withContentType(operator(), contentType), "{}"));
        }
        variants.add(new Variant("no content type", op.method(), target, operator(), "{}"));
    }

    /** Values no field of that declared type accepts: other JSON types, huge numbers, deep nesting, control characters. */
    static List<String> wrongTypes(String type, int round) {
        String deep = "[".repeat(400) + "]".repeat(400);
        String control = "\"\\u0000\\u0007\\u001b\"";
        return switch (type) {
            case "string" -> List.of("1e999999", "-123456789012345678901234567890", deep, "{\"a\":{\"b\":[]}}", control, round % 2 == 0 ? "true" : "[]");
            case "boolean" -> List.of("\"yes\"", "1", "1e999999", deep, control);
            case "integer", "number" -> List.of("\"100\\u0000\"", "1e999999", "123456789012345678901234567890", "true", deep);
            case "array" -> List.of("\"x\"", "{}", "1e999999", "[" + deep + "]", "[" + control + "]");
            default -> List.of("\"x\"", "1e999999", "true", deep, "[" + control + "]");
        };
    }

    static List<String> wrongMethods(Operation op) {
        return switch (op.method()) {
            case "GET" -> List.of("PUT", "FROB", "TRACE");
            case "POST" -> List.of("PUT", "FROB");
            default -> List.of("POST", "FROB");
        };
    }

    // ---- requests --------------------------------------------------------------------------

    Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + OPERATOR_TOKEN);
    }

    static Map<String, String> withContentType(Map<String, String> headers, String contentType) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put("Content-Type", contentType);
        return copy;
    }

    /** The path with real identifiers of the fixtures, except {@code replaced} ones. */
    String fill(String template, Map<String, String> replaced) {
        Map<String, String> values = Map.of("zone_id", zone, "account_id", account, "token_id", tokenId,
                "setting_id", "websockets", "nodeId", "fuzz-node");
        StringBuilder path = new StringBuilder();
        for (Iterator<String> parts = List.of(template.split("/", -1)).iterator(); parts.hasNext(); ) {
            String part = parts.next();
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                part = replaced.getOrDefault(name, values.getOrDefault(name, "x"));
            }
            path.append(part);
            if (parts.hasNext()) {
                path.append('/');
            }
        }
        return path.toString();
    }

    static List<String> pathVariables(String template) {
        List<String> names = new ArrayList<>();
        for (String part : template.split("/")) {
            if (part.startsWith("{") && part.endsWith("}")) {
                names.add(part.substring(1, part.length() - 1));
            }
        }
        return names;
    }

    static byte[] render(Variant variant) {
        byte[] body = variant.body() == null ? new byte[0] : variant.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(variant.method()).append(' ').append(variant.target()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        variant.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (variant.body() != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[start.length + body.length];
        System.arraycopy(start, 0, request, 0, start.length);
        System.arraycopy(body, 0, request, start.length, body.length);
        return request;
    }

    static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…(" + text.length() + ")" : text;
    }
}
