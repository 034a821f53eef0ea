package zoneplane.controlplane.token;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.controlplane.auth.Permission;

/**
 * The validated body of {@code POST /accounts/{account_id}/tokens}:
 * {@code {"name", "permissions": [...], "zones": [zone ids]?, "expires_on": RFC 3339?}}.
 * Every violation is a 400 naming the field; nothing about other accounts is checked here.
 *
 * @param zoneIds null for the whole account
 */
record TokenRequest(String name, List<Permission> permissions, List<String> zoneIds, Instant expiresOn) {

    static final Set<String> FIELDS = Set.of("name", "permissions", "zones", "expires_on");
    static final int MAX_NAME = 120;
    static final int MAX_ZONES = 100;
    /** Far enough for any real use, near enough to stay inside every timestamp type on the way. */
    static final Duration MAX_LIFETIME = Duration.ofDays(366L * 100);

    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");

    static TokenRequest parse(JsonNode node, Instant now) {
        JsonBody body = JsonBody.of(node, FIELDS);
        String name = name(body.requiredText("name"));
        List<Permission> permissions = permissions(body.required("permissions"));
        List<String> zones = body.has("zones") && !body.required("zones").isNull() ? zones(body.required("zones")) : null;
        if (zones != null && permissions.contains(Permission.ACCOUNT_ADMIN)) {
            throw JsonBody.invalid("Permission 'account:admin' is account-wide: it cannot be limited to 'zones'");
        }
        Instant expires = body.optionalText("expires_on").map(text -> expiry(text, now)).orElse(null);
        return new TokenRequest(name, permissions, zones, expires);
    }

    private static String name(String raw) {
        String name = raw.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw JsonBody.invalid("Field 'name' must be 1 to " + MAX_NAME + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw JsonBody.invalid("Field 'name' must not contain control characters");
        }
        return name;
    }

    private static List<Permission> permissions(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            throw JsonBody.invalid("Field 'permissions' must be a non-empty array of: " + wireNames());
        }
        Set<Permission> permissions = new LinkedHashSet<>();
        for (JsonNode item : array) {
            Permission permission = item.isString() ? Permission.fromWire(item.stringValue()).orElse(null) : null;
            if (permission == null) {
                throw JsonBody.invalid("Field 'permissions' holds an unknown permission: expected " + wireNames());
            }
            if (!permissions.add(permission)) {
                throw JsonBody.invalid("Field 'permissions' lists '" + permission.wire() + "' twice");
            }
        }
        return List.copyOf(permissions);
    }

    private static List<String> zones(JsonNode array) {
        if (!array.isArray() || array.isEmpty() || array.size() > MAX_ZONES) {
            throw JsonBody.invalid("Field 'zones' must be an array of 1 to " + MAX_ZONES
                    + " zone ids (leave it out for the whole account)");
        }
        Set<String> zones = new LinkedHashSet<>();
        for (JsonNode item : array) {
            if (!item.isString() || !ZONE_ID.matcher(item.stringValue()).matches()) {
                throw JsonBody.invalid("Field 'zones' must hold zone ids (32 lowercase hexadecimal characters)");
            }
            if (!zones.add(item.stringValue())) {
                throw JsonBody.invalid("Field 'zones' lists zone " + item.stringValue() + " twice");
            }
        }
        return List.copyOf(zones);
    }

    private static Instant expiry(String text, Instant now) {
        Instant expires;
        try {
            expires = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw JsonBody.invalid("Field 'expires_on' must be an RFC 3339 timestamp such as 2027-01-01T00:00:00Z");
        }
        if (!expires.isAfter(now)) {
            throw JsonBody.invalid("Field 'expires_on' must be in the future");
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME))) {
            throw JsonBody.invalid("Field 'expires_on' must be within 100 years");
        }
        return expires;
    }

    private static String wireNames() {
        List<String> names = new ArrayList<>();
        for (Permission p : Permission.values()) {
            names.add(p.wire());
        }
        return String.join(", ", names);
    }
}
