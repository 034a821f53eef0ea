package zoneplane.controlplane.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.PageRequest;

/**
 * The filters of {@code GET /accounts/{account_id}/audit_logs}, validated: {@code zone_id} (32 hex),
 * {@code setting} (a setting id), {@code since} / {@code before} (RFC 3339; since inclusive, before
 * exclusive), Cloudflare paging. Unknown parameters are refused (400) rather than ignored, so a
 * misspelt filter cannot silently answer everything.
 */
record AuditQuery(String zoneId, String settingId, Instant since, Instant before, PageRequest page) {

    static final Set<String> PARAMETERS = Set.of("zone_id", "setting", "since", "before", "page", "per_page");
    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SETTING_ID = Pattern.compile("[a-z0-9_]{1,64}");

    static AuditQuery parse(Map<String, String[]> parameters) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw invalid("Unknown query parameter '" + shorten(name) + "': expected one of " + new java.util.TreeSet<>(PARAMETERS));
            }
            if (parameters.get(name).length > 1) {
                throw invalid("Query parameter '" + name + "' given more than once");
            }
        }
        String zone = single(parameters, "zone_id");
        if (zone != null && !ZONE_ID.matcher(zone).matches()) {
            throw invalid("zone_id must be 32 lowercase hexadecimal characters");
        }
        String setting = single(parameters, "setting");
        if (setting != null && !SETTING_ID.matcher(setting).matches()) {
            throw invalid("setting must be a setting id (a-z, 0-9, _)");
        }
        return new AuditQuery(zone, setting, instant(parameters, "since"), instant(parameters, "before"),
                PageRequest.parse(single(parameters, "page"), single(parameters, "per_page")));
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return values == null || values[0].isEmpty() ? null : values[0];
    }

    private static Instant instant(Map<String, String[]> parameters, String name) {
        String value = single(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an RFC 3339 timestamp such as 2026-11-23T10:00:00Z");
        }
    }

    private static String shorten(String name) {
        String printable = name.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }

    private static ApiException invalid(String message) {
        return new ApiException(ApiErrorCode.INVALID_REQUEST, message);
    }
}
