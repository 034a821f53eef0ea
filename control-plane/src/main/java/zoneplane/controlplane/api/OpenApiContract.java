package zoneplane.controlplane.api;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Makes the generated OpenAPI document strict enough for a linter and for client generators
 * (OpenApiLintTest runs Redocly on it): readable unique operation ids in Cloudflare's style
 * ({@code zones-list}, {@code zone-settings-edit-single-setting}), a summary on every operation,
 * {@code application/json} instead of springdoc's {@code *}{@code /*} on answers, a schema on every
 * parameter, and the specific 4xx answers of each operation with an example envelope per error
 * code. The authentication answers (400 9106 / 6003, 401, 403, 429) and the security schemes are
 * added by the auth feature's customizer; this one adds what follows from an operation's shape:
 * a body (400 6007 / 1003, 413, 415), the identifiers in its path (404 with the code of each), an
 * {@code If-Match} header (412).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiContract {

    /** The name and summary an operation is documented under; a null summary keeps the annotation's. */
    record Documented(String operationId, String summary) {}

    /**
     * Operation ids by {@code "METHOD path"}. An endpoint missing here still gets a unique id derived
     * from its method and path ({@link #derivedId}); the lint test lists it as a reminder.
     */
    static final Map<String, Documented> OPERATIONS = Map.ofEntries(
            Map.entry("GET /zones", new Documented("zones-list", null)),
            Map.entry("POST /zones", new Documented("zones-create", null)),
            Map.entry("GET /zones/{zone_id}", new Documented("zones-get", null)),
            Map.entry("PATCH /zones/{zone_id}", new Documented("zones-edit", null)),
            Map.entry("DELETE /zones/{zone_id}", new Documented("zones-delete", null)),
            Map.entry("PUT /zones/{zone_id}/activation_check", new Documented("zones-activation-check", null)),
            Map.entry("GET /zones/{zone_id}/settings", new Documented("zone-settings-list", null)),
            Map.entry("PATCH /zones/{zone_id}/settings", new Documented("zone-settings-edit", null)),
            Map.entry("GET /zones/{zone_id}/settings/{setting_id}", new Documented("zone-settings-get-single-setting", null)),
            Map.entry("PATCH /zones/{zone_id}/settings/{setting_id}", new Documented("zone-settings-edit-single-setting", null)),
            Map.entry("GET /zones/{zone_id}/propagation", new Documented("zones-propagation-get",
                    "The zone's latest revision and the revision each live edge node has applied")),
            Map.entry("GET /zones/{zone_id}/dns_records", new Documented("dns-records-list", null)),
            Map.entry("GET /zone_settings", new Documented("zone-settings-catalogue", null)),
            Map.entry("GET /user/tokens/verify", new Documented("user-tokens-verify", null)),
            Map.entry("GET /accounts", new Documented("accounts-list", null)),
            Map.entry("POST /accounts", new Documented("accounts-create", null)),
            Map.entry("GET /accounts/{account_id}", new Documented("accounts-get", null)),
            Map.entry("GET /accounts/{account_id}/tokens", new Documented("account-tokens-list", null)),
            Map.entry("POST /accounts/{account_id}/tokens", new Documented("account-tokens-create", null)),
            Map.entry("GET /accounts/{account_id}/tokens/{token_id}", new Documented("account-tokens-get", null)),
            Map.entry("DELETE /accounts/{account_id}/tokens/{token_id}", new Documented("account-tokens-revoke", null)),
            Map.entry("GET /accounts/{account_id}/audit_logs", new Documented("audit-logs-list", null)),
            Map.entry("GET /zones/{zone_id}/usage", new Documented("zone-usage-get", null)),
            Map.entry("GET /accounts/{account_id}/usage", new Documented("account-usage-get", null)),
            Map.entry("POST /internal/v1/nodes/{nodeId}/usage", new Documented("internal-node-usage",
                    "An edge node ships closed minutes of its zones' traffic, gzip; stored once per node process, zone and minute (node token)")),
            Map.entry("GET /edge_nodes", new Documented("edge-nodes-list", "List the edge nodes and the revision each applied (operator token)")),
            Map.entry("GET /internal/v1/snapshot", new Documented("internal-snapshot",
                    "Config snapshot at one revision, streamed (node token)")),
            Map.entry("GET /internal/v1/changes", new Documented("internal-changes",
                    "Stream of config changes after a revision, NDJSON with heartbeats; 410 when compacted away (node token)")),
            Map.entry("PUT /internal/v1/nodes/{nodeId}", new Documented("internal-node-report",
                    "An edge node registers and reports the revision it applied (node token)")),
            Map.entry("GET /zones/{zone_id}/logpush/jobs", new Documented("logpush-jobs-list", "List Logpush jobs")),
            Map.entry("POST /zones/{zone_id}/logpush/jobs", new Documented("logpush-jobs-create", "Create a Logpush job")),
            Map.entry("GET /zones/{zone_id}/logpush/jobs/{job_id}", new Documented("logpush-jobs-get", "Logpush job details")),
            Map.entry("PUT /zones/{zone_id}/logpush/jobs/{job_id}", new Documented("logpush-jobs-update", "Update a Logpush job")),
            Map.entry("DELETE /zones/{zone_id}/logpush/jobs/{job_id}", new Documented("logpush-jobs-delete", "Delete a Logpush job")),
            Map.entry("GET /zones/{zone_id}/logpush/datasets/{dataset_id}/jobs", new Documented("logpush-dataset-jobs-list",
                    "List Logpush jobs of a dataset")),
            Map.entry("GET /zones/{zone_id}/logpush/datasets/{dataset_id}/fields", new Documented("logpush-dataset-fields-list",
                    "List the fields of a dataset")),
            Map.entry("POST /zones/{zone_id}/logpush/validate/destination", new Documented("logpush-validate-destination",
                    "Validate a destination")),
            Map.entry("POST /zones/{zone_id}/logpush/validate/origin", new Documented("logpush-validate-origin",
                    "Validate log options")),
            Map.entry("GET /internal/v1/logpush/jobs", new Documented("internal-logpush-jobs",
                    "Every enabled Logpush job, with destinations in full; ETag / If-None-Match (node token)")),
            Map.entry("PUT /internal/v1/nodes/{nodeId}/logpush", new Documented("internal-node-logpush-report",
                    "An edge node reports its Logpush deliveries per job (node token)")));

    /** The 404 each path identifier answers when it names nothing the caller may see. */
    static final Map<String, ApiErrorCode> NOT_FOUND_BY_PARAMETER = Map.of(
            "zone_id", ApiErrorCode.INVALID_ZONE,
            "account_id", ApiErrorCode.UNKNOWN_ACCOUNT,
            "token_id", ApiErrorCode.UNKNOWN_TOKEN,
            "setting_id", ApiErrorCode.UNRECOGNIZED_SETTING,
            "job_id", ApiErrorCode.LOGPUSH_JOB_NOT_FOUND,
            "dataset_id", ApiErrorCode.LOGPUSH_UNKNOWN_DATASET);

    /** Path identifiers whose malformed values answer 400, code 7003 ({@link PathIdentifiers}). */
    static final List<String> ROUTED_IDENTIFIERS = List.of("zone_id");

    /** 400 codes of one operation beyond those its shape implies. */
    static final Map<String, List<ApiErrorCode>> BAD_REQUEST_BY_OPERATION = Map.of(
            "POST /zones", List.of(ApiErrorCode.ZONE_EXISTS),
            "GET /zones", List.of(ApiErrorCode.INVALID_REQUEST),
            "POST /zones/{zone_id}/logpush/jobs", List.of(ApiErrorCode.LOGPUSH_INVALID_DESTINATION,
                    ApiErrorCode.LOGPUSH_PROHIBITED_DESTINATION, ApiErrorCode.LOGPUSH_JOB_LIMIT),
            "PUT /zones/{zone_id}/logpush/jobs/{job_id}", List.of(ApiErrorCode.LOGPUSH_INVALID_DESTINATION,
                    ApiErrorCode.LOGPUSH_PROHIBITED_DESTINATION),
            "POST /zones/{zone_id}/logpush/validate/destination", List.of(ApiErrorCode.LOGPUSH_INVALID_DESTINATION,
                    ApiErrorCode.LOGPUSH_PROHIBITED_DESTINATION));

    /** The streamed internal answers are not envelopes; everything else answers JSON. */
    static final Map<String, String> STREAM_MEDIA_TYPES = Map.of("GET /internal/v1/changes", "application/x-ndjson");

    /** Runs after the customizers that add operations' default answers and security. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    OpenApiCustomizer strictOperations() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String key = method.name() + " " + path;
            document(operation, key);
            jsonAnswers(operation, STREAM_MEDIA_TYPES.getOrDefault(key, org.springframework.http.MediaType.APPLICATION_JSON_VALUE));
            typedParameters(operation);
            shapeErrors(operation);
            if (BAD_REQUEST_BY_OPERATION.containsKey(key)) {
                addErrors(operation, 400, "Bad request", BAD_REQUEST_BY_OPERATION.get(key));
            }
        }));
    }

    private static void document(Operation operation, String key) {
        Documented documented = OPERATIONS.get(key);
        operation.setOperationId(documented == null ? derivedId(key) : documented.operationId());
        if (documented != null && documented.summary() != null && operation.getSummary() == null) {
            operation.setSummary(documented.summary());
        }
        if (operation.getSummary() == null) {
            operation.setSummary(key);
        }
    }

    /** {@code "GET /zones/{zone_id}/settings"} → {@code get-zones-zone-id-settings}: unique because the key is. */
    static String derivedId(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** springdoc writes {@code *}{@code /*} for answers whose handler declares no type; ours are JSON. */
    private static void jsonAnswers(Operation operation, String mediaType) {
        operation.getResponses().forEach((status, response) -> {
            Content content = response.getContent();
            if (content == null || content.isEmpty()) {
                response.setContent(new Content().addMediaType(mediaType, new MediaType().schema(new Schema<>())));
            } else if (content.containsKey("*/*")) {
                MediaType any = content.remove("*/*");
                content.addMediaType(mediaType, any);
            }
        });
    }

    /** Parameters read from the raw query (the audit log's filters) are strings. */
    private static void typedParameters(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            if (parameter.getSchema() == null && parameter.getContent() == null) {
                parameter.setSchema(new StringSchema());
            }
        }
    }

    private static void shapeErrors(Operation operation) {
        List<ApiErrorCode> notFound = new ArrayList<>();
        boolean ifMatch = false;
        for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters()) {
            if ("path".equals(parameter.getIn()) && ROUTED_IDENTIFIERS.contains(parameter.getName())) {
                addErrors(operation, 400, "Bad request: an identifier in the path is malformed",
                        List.of(ApiErrorCode.INVALID_OBJECT_IDENTIFIER));
            }
            if ("path".equals(parameter.getIn()) && NOT_FOUND_BY_PARAMETER.containsKey(parameter.getName())) {
                notFound.add(NOT_FOUND_BY_PARAMETER.get(parameter.getName()));
            }
            ifMatch |= "header".equals(parameter.getIn()) && "If-Match".equalsIgnoreCase(parameter.getName());
        }
        if (!notFound.isEmpty()) {
            addErrors(operation, 404, "Not found: an identifier in the path names nothing the caller may see", notFound);
        }
        if (operation.getRequestBody() != null) {
            addErrors(operation, 400, "Bad request", List.of(ApiErrorCode.MALFORMED_JSON, ApiErrorCode.INVALID_REQUEST));
            addErrors(operation, 413, "Request body too large", List.of(ApiErrorCode.BODY_TOO_LARGE));
            addErrors(operation, 415, "The body is not sent as application/json", List.of(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE));
        } else if (operation.getParameters() != null && operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()))) {
            addErrors(operation, 400, "Bad request", List.of(ApiErrorCode.INVALID_REQUEST));
        }
        if (ifMatch) {
            addErrors(operation, 412, "If-Match does not match the setting's current ETag", List.of(ApiErrorCode.PRECONDITION_FAILED));
        }
    }

    /**
     * Documents that the operation may answer {@code status} with these codes: one response (created
     * or extended) whose JSON content is the error envelope with one named example per code.
     */
    public static void addErrors(Operation operation, int status, String description, List<ApiErrorCode> codes) {
        ApiResponses responses = operation.getResponses();
        ApiResponse response = responses.computeIfAbsent(Integer.toString(status), s -> new ApiResponse().description(description));
        if (response.getContent() == null) {
            response.setContent(new Content());
        }
        MediaType json = response.getContent().computeIfAbsent(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                t -> new MediaType().schema(new Schema<>().$ref(ERROR_ENVELOPE_REF)));
        for (ApiErrorCode code : codes) {
            json.addExamples("code-" + code.code(), new Example().summary(code.code() + ": " + shortMeaning(code))
                    .value(exampleEnvelope(code)));
        }
    }

    static final String ERROR_ENVELOPE_REF = "#/components/schemas/ErrorEnvelope";

    private static Map<String, Object> exampleEnvelope(ApiErrorCode code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.code());
        error.put("message", shortMeaning(code));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("success", false);
        envelope.put("errors", List.of(error));
        envelope.put("messages", List.of());
        envelope.put("result", null);
        return envelope;
    }

    /** The meaning up to its first colon or full stop: what a message of that code starts with. */
    private static String shortMeaning(ApiErrorCode code) {
        String meaning = code.meaning();
        int end = meaning.length();
        for (String stop : new String[] {": ", ". ", " ("}) {
            int at = meaning.indexOf(stop);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        return meaning.substring(0, end);
    }
}
