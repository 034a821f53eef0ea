package zoneplane.controlplane.api;

import org.springframework.http.HttpStatus;

/**
 * Every error code the API answers with, its HTTP status and what it means. This is the one table:
 * the OpenAPI description is generated from it, so documentation and behaviour cannot drift.
 * Codes are Cloudflare's where Cloudflare is known to use them for the same condition; the rest are
 * marked as Zoneplane's own in {@link #origin()}.
 */
public enum ApiErrorCode {
    INVALID_ZONE(1001, HttpStatus.NOT_FOUND, "Cloudflare", "Invalid zone identifier: no such zone (or not visible to the caller)"),
    UNKNOWN_ACCOUNT(1002, HttpStatus.NOT_FOUND, "Zoneplane", "Invalid account identifier: no such account (or not visible to the caller)"),
    INVALID_REQUEST(1003, HttpStatus.BAD_REQUEST, "Zoneplane", "A request field or query parameter is missing, unknown or invalid (the message names it)"),
    PROHIBITED_ORIGIN(9003, HttpStatus.BAD_REQUEST, "Cloudflare (\"Target … is not allowed for a proxied record\")", "The zone origin is a prohibited IP (loopback, link-local, private, CGNAT, multicast, unspecified, broadcast, in any literal form) or a localhost name; allowed only when the operator sets ZONEPLANE_ORIGINS_ALLOW_PRIVATE"),
    MISSING_ITEMS(1004, HttpStatus.BAD_REQUEST, "Cloudflare", "Missing 'items' in a bulk settings PATCH"),
    INTERNAL_ERROR(1005, HttpStatus.INTERNAL_SERVER_ERROR, "Cloudflare", "Internal error encountered while processing the request (details only in the server log)"),
    UNRECOGNIZED_SETTING(1006, HttpStatus.NOT_FOUND, "Cloudflare", "Unrecognized zone setting name"),
    INVALID_SETTING_VALUE(1007, HttpStatus.BAD_REQUEST, "Cloudflare", "Invalid value for zone setting (the message lists the allowed values)"),
    SETTING_NOT_EDITABLE(1057, HttpStatus.FORBIDDEN, "Cloudflare", "The setting cannot be modified for this zone (plan does not allow it, or the value is above the plan's ceiling)"),
    ZONE_EXISTS(1061, HttpStatus.BAD_REQUEST, "Cloudflare", "A zone with this name already exists in this account (another account's zone of the name is never an error: the new zone is pending)"),
    MALFORMED_JSON(6007, HttpStatus.BAD_REQUEST, "Cloudflare", "Malformed JSON in request body (or no body where one is required)"),
    UNSUPPORTED_MEDIA_TYPE(6003, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Cloudflare (status 415 is Zoneplane's)", "Invalid request headers: a body must be sent with Content-Type: application/json; a wildcard (`*/*`, `application/*`) or malformed Content-Type is refused too. error_chain holds 6105"),
    INVALID_CONTENT_TYPE(6105, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Cloudflare", "error_chain entry of 6003: Invalid Content-Type header, valid values are application/json"),
    INVALID_REQUEST_HEADERS(6003, HttpStatus.BAD_REQUEST, "Cloudflare", "Invalid request headers: the Authorization header is not `Bearer <token>` with a token of RFC 6750 characters. error_chain holds 6111"),
    INVALID_AUTHORIZATION_FORMAT(6111, HttpStatus.BAD_REQUEST, "Cloudflare", "error_chain entry of 6003: Invalid format for Authorization header"),
    MISSING_CREDENTIALS(9106, HttpStatus.BAD_REQUEST, "Cloudflare", "Missing X-Auth-Key, X-Auth-Email or Authorization headers: the request carries no credentials (answered with WWW-Authenticate: Bearer)"),
    INVALID_API_TOKEN(1000, HttpStatus.UNAUTHORIZED, "Cloudflare", "Invalid API Token: GET /user/tokens/verify with a well-formed token that is unknown, revoked or expired"),
    INVALID_OBJECT_IDENTIFIER(7003, HttpStatus.BAD_REQUEST, "Cloudflare", "Could not route to the URI, perhaps your object identifier is invalid? A zone id in the path is not 32 lower-case hex characters"),
    NO_ROUTE(7000, HttpStatus.NOT_FOUND, "Cloudflare", "No route for that URI"),
    METHOD_NOT_ALLOWED(7001, HttpStatus.METHOD_NOT_ALLOWED, "Cloudflare", "Method not allowed for this URI"),
    NOT_ACCEPTABLE(7002, HttpStatus.NOT_ACCEPTABLE, "Zoneplane", "Answered only by the OpenAPI document (`/v3/api-docs`) when Accept excludes application/json; every API endpoint answers JSON whatever Accept says"),
    PRECONDITION_FAILED(9412, HttpStatus.PRECONDITION_FAILED, "Zoneplane", "If-Match does not match the setting's current ETag"),
    BODY_TOO_LARGE(9413, HttpStatus.CONTENT_TOO_LARGE, "Zoneplane", "Request body larger than the configured limit (ZONEPLANE_API_MAX_BODY_SIZE, default 64 KiB)"),
    UNKNOWN_TOKEN(9404, HttpStatus.NOT_FOUND, "Zoneplane", "No such API token in this account (or not visible to the caller)"),
    FORBIDDEN(9109, HttpStatus.FORBIDDEN, "Cloudflare", "Unauthorized to access requested resource: the operation is the operator's, or the token is limited to listed zones"),
    PERMISSION_DENIED(10000, HttpStatus.FORBIDDEN, "Cloudflare", "Authentication error: the token lacks the permission this request needs (the message names it)"),
    AUTHENTICATION_ERROR(10000, HttpStatus.UNAUTHORIZED, "Cloudflare (status unconfirmed)", "Authentication error: a well-formed API token that is unknown, revoked or expired (answered with WWW-Authenticate: Bearer)"),
    DATABASE_UNAVAILABLE(9503, HttpStatus.SERVICE_UNAVAILABLE, "Zoneplane", "The configuration database cannot be reached (restarting, failing over); retry after Retry-After seconds. A change whose commit was cut off may or may not have been applied: read it back"),
    RATE_LIMITED(971, HttpStatus.TOO_MANY_REQUESTS, "Cloudflare (unconfirmed)", "Too many requests for this token; retry after Retry-After seconds (X-RateLimit-* headers tell the budget)"),
    MALFORMED_REQUEST(9400, HttpStatus.BAD_REQUEST, "Zoneplane", "The HTTP server refused the request before the API saw it: a malformed request line, header or percent-encoding, an HTTP/0.9 request, or a status without a row of its own (the status is kept, the message names it)"),
    REQUEST_TIMEOUT(9408, HttpStatus.REQUEST_TIMEOUT, "Zoneplane", "The request (head or body) did not arrive in time"),
    EXPECTATION_FAILED(9417, HttpStatus.EXPECTATION_FAILED, "Zoneplane", "An Expect header other than 100-continue"),
    NOT_IMPLEMENTED(9501, HttpStatus.NOT_IMPLEMENTED, "Zoneplane", "A method (CONNECT) or Transfer-Encoding (gzip, compress, deflate, …) the server does not implement; only chunked is supported"),
    HTTP_VERSION_NOT_SUPPORTED(9505, HttpStatus.HTTP_VERSION_NOT_SUPPORTED, "Zoneplane", "An HTTP version other than 1.0 and 1.1 on the HTTP/1 port"),
    LOGPUSH_JOB_NOT_FOUND(9710, HttpStatus.NOT_FOUND, "Zoneplane", "No such Logpush job in this zone (or not visible to the caller)"),
    LOGPUSH_UNKNOWN_DATASET(9711, HttpStatus.NOT_FOUND, "Zoneplane", "Unknown Logpush dataset: Zoneplane's zones have http_requests"),
    LOGPUSH_INVALID_DESTINATION(9712, HttpStatus.BAD_REQUEST, "Zoneplane", "destination_conf is not a destination Zoneplane delivers to (https://…; http://… only where the operator allows private destinations; kafka://host:port[,host:port]/topic?…) or one of its options is invalid (the message names it)"),
    LOGPUSH_PROHIBITED_DESTINATION(9713, HttpStatus.BAD_REQUEST, "Zoneplane", "The destination's host is a prohibited IP (loopback, private, link-local, CGNAT, multicast, …, in any literal form) or a localhost name; allowed only when the operator sets ZONEPLANE_LOGPUSH_ALLOW_PRIVATE_DESTINATIONS"),
    LOGPUSH_JOB_LIMIT(9714, HttpStatus.BAD_REQUEST, "Zoneplane", "The zone already has as many Logpush jobs as the operator allows (ZONEPLANE_LOGPUSH_MAX_JOBS_PER_ZONE, default 4)");

    private final int code;
    private final HttpStatus status;
    private final String origin;
    private final String meaning;

    ApiErrorCode(int code, HttpStatus status, String origin, String meaning) {
        this.code = code;
        this.status = status;
        this.origin = origin;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    /** "Cloudflare" when Cloudflare uses the code for the same condition, "Zoneplane" when it is ours. */
    public String origin() {
        return origin;
    }

    public String meaning() {
        return meaning;
    }

    /**
     * The code for an error the framework or the servlet container raised with only a status (an
     * unknown path, a wrong method, a body the container refused): the most specific row for it. A
     * client error without a row of its own is {@link #MALFORMED_REQUEST} (the caller keeps the
     * status), never "internal error": only 5xx statuses the server chose are that.
     */
    public static ApiErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> AUTHENTICATION_ERROR;
            case 403 -> FORBIDDEN;
            case 404 -> NO_ROUTE;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> BODY_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 408 -> REQUEST_TIMEOUT;
            case 417 -> EXPECTATION_FAILED;
            case 429 -> RATE_LIMITED;
            case 501 -> NOT_IMPLEMENTED;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
        };
    }

    /** A Markdown table of all codes, for the OpenAPI description. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| code | HTTP status | source | meaning |\n|---|---|---|---|\n");
        for (ApiErrorCode c : values()) {
            table.append("| ").append(c.code).append(" | ").append(c.status.value()).append(' ')
                    .append(c.status.getReasonPhrase()).append(" | ").append(c.origin).append(" | ")
                    .append(c.meaning).append(" |\n");
        }
        return table.toString();
    }
}
