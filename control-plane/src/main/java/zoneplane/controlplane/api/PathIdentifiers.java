package zoneplane.controlplane.api;

import java.util.Map;

/**
 * Identifiers in request paths that cannot name any object: Cloudflare answers those 400, code
 * 7003 "Could not route to /zones/…, perhaps your object identifier is invalid?", before looking
 * anything up, and the SDK maps it to {@code BadRequestError}. A well-formed id that names nothing
 * the caller may see stays 404 (code 1001), so the format check reveals nothing about other tenants.
 */
public final class PathIdentifiers {

    /** Path variables holding an object id in Cloudflare's shape (32 lower-case hex characters). */
    private static final String ZONE_ID = "zone_id";

    private static final int SHOWN = 200;

    private PathIdentifiers() {}

    /**
     * @param path the request path as the API routes it (without {@code /client/v4})
     * @param variables the request's URI template variables
     */
    public static void requireRoutable(String path, Map<String, String> variables) {
        String zoneId = variables.get(ZONE_ID);
        if (zoneId != null && !Identifiers.isId(zoneId)) {
            String shown = path.length() > SHOWN ? path.substring(0, SHOWN) + "…" : path;
            throw new ApiException(ApiErrorCode.INVALID_OBJECT_IDENTIFIER,
                    "Could not route to " + shown + ", perhaps your object identifier is invalid?");
        }
    }
}
