package zoneplane.controlplane.zone;

import java.util.Set;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.model.Plan;

/**
 * Reads the bodies of {@code POST /zones} and {@code PATCH /zones/{id}}. Creation accepts exactly
 * what Cloudflare's SDKs send ({@code account}, {@code name}, {@code type}; the legacy
 * {@code jump_start} is accepted and ignored) plus Zoneplane's optional {@code plan} and
 * {@code origin}. {@code plan} is a plan id ({@code "pro"}) or Cloudflare's {@code {"id":"pro"}}.
 */
final class ZoneRequests {

    static final Set<String> CREATE_FIELDS = Set.of("name", "account", "type", "plan", "origin", "jump_start");
    static final Set<String> EDIT_FIELDS = Set.of("plan", "origin", "paused", "type");
    private static final Set<String> TYPES = Set.of("full", "partial");

    /** A validated creation request. {@code origin} is empty when none was given. */
    record NewZone(String name, String accountId, Plan plan, String origin, String type) {}

    /**
     * A validated edit: a null component was not given. {@code origin} is the empty string when the
     * request removes the origin ({@code "origin": null}).
     */
    record ZoneEdit(Plan plan, String origin, Boolean paused, String type) {}

    private ZoneRequests() {}

    static NewZone create(JsonNode node) {
        JsonBody body = JsonBody.of(node, CREATE_FIELDS);
        String name = ZoneNames.normalize(body.requiredText("name"));
        String accountId = body.optionalObject("account", Set.of("id", "name"))
                .orElseThrow(() -> JsonBody.invalid("Missing field 'account' ({\"id\": \"<account id>\"})"))
                .requiredText("id");
        body.optionalBoolean("jump_start");
        return new NewZone(name, accountId, plan(body, Plan.FREE), origin(body), type(body, "full"));
    }

    static ZoneEdit edit(JsonNode node) {
        JsonBody body = JsonBody.of(node, EDIT_FIELDS);
        String origin = body.has("origin") ? origin(body) : null;
        return new ZoneEdit(plan(body, null), origin, body.optionalBoolean("paused").orElse(null), type(body, null));
    }

    private static Plan plan(JsonBody body, Plan fallback) {
        if (!body.has("plan") || body.required("plan").isNull()) {
            return fallback;
        }
        JsonNode plan = body.required("plan");
        String id = plan.isObject()
                ? JsonBody.of(plan, Set.of("id", "name")).requiredText("id")
                : body.requiredText("plan");
        return PlanIds.fromAnyId(id).orElseThrow(() -> JsonBody.invalid(
                "Unknown plan '" + (id.length() > 40 ? id.substring(0, 40) : id) + "': expected free, pro, business or enterprise"));
    }

    private static String origin(JsonBody body) {
        return body.optionalText("origin").map(Origins::validate).orElse("");
    }

    private static String type(JsonBody body, String fallback) {
        String type = body.optionalText("type").orElse(fallback);
        if (type != null && !TYPES.contains(type)) {
            throw JsonBody.invalid("Field 'type' must be full or partial");
        }
        return type;
    }
}
