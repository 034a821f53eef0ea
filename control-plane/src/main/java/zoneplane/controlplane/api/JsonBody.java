package zoneplane.controlplane.api;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A request body read as a JSON object, with typed accessors that answer 400 (code 1003) naming the
 * field when a field is missing, of the wrong JSON type or not one the endpoint knows. Endpoints
 * read their bodies through this rather than binding to classes, so that unknown fields are refused
 * by name and no binding error can leak a class name.
 */
public final class JsonBody {

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** The body, which must be a JSON object whose fields are all among {@code known}. */
    public static JsonBody of(JsonNode node, Collection<String> known) {
        if (node == null || !node.isObject()) {
            throw invalid("Request body must be a JSON object");
        }
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                throw invalid("Unknown field '" + name + "': expected " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return new JsonBody(node);
    }

    public boolean has(String name) {
        return node.has(name);
    }

    /** The raw value of a field that must be present (JSON null counts as present). */
    public JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw invalid("Missing field '" + name + "'");
        }
        return value;
    }

    public String requiredText(String name) {
        JsonNode value = required(name);
        if (!value.isString()) {
            throw invalid("Field '" + name + "' must be a string");
        }
        return value.stringValue();
    }

    /** A string field, absent or JSON null meaning "not given". */
    public Optional<String> optionalText(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw invalid("Field '" + name + "' must be a string");
        }
        return Optional.of(value.stringValue());
    }

    public Optional<Boolean> optionalBoolean(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid("Field '" + name + "' must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /** A nested object field, itself limited to {@code known} fields. */
    public Optional<JsonBody> optionalObject(String name, Collection<String> known) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw invalid("Field '" + name + "' must be an object");
        }
        return Optional.of(of(value, known));
    }

    public static ApiException invalid(String message) {
        return new ApiException(ApiErrorCode.INVALID_REQUEST, message);
    }
}
