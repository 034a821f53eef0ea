package zoneplane.controlplane.auth;

import java.util.Map;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;

/**
 * What a caller must be or hold to call one endpoint, checked before the controller runs (and
 * before the request body is read, so a refused caller learns nothing from validation errors).
 * Each rule either returns or throws the {@link ApiException} to answer with.
 */
@FunctionalInterface
public interface AccessRule {

    /**
     * @param pathVariables the request's URI template variables (e.g. {@code zone_id})
     */
    void check(Caller caller, Map<String, String> pathVariables);

    /** Only the operator (e.g. creating accounts, listing edge nodes). */
    static AccessRule operatorOnly() {
        return (caller, variables) -> {
            if (!caller.isOperator()) {
                throw new ApiException(ApiErrorCode.FORBIDDEN, "Operator token required");
            }
        };
    }

    /** Any valid token; the endpoint limits what it shows to the caller's account itself. */
    static AccessRule anyToken() {
        return AnyToken.RULE;
    }

    /** A permission on the account (lists: the query is limited to what the token may see). */
    static AccessRule permission(Permission needed) {
        return (caller, variables) -> requirePermission(caller, needed);
    }

    /** A permission on the whole account, not on listed zones (creating a zone, which no list names yet). */
    static AccessRule accountWide(Permission needed) {
        return (caller, variables) -> {
            requirePermission(caller, needed);
            if (!caller.zones().allZones()) {
                throw new ApiException(ApiErrorCode.FORBIDDEN, "This token is limited to listed zones: it cannot create zones");
            }
        };
    }

    /** A permission on the zone named by the {@code zone_id} path variable (404 if it is not the caller's). */
    static AccessRule zone(ZoneAccess zones, Permission needed) {
        return (caller, variables) -> zones.require(caller, variables.get("zone_id"), needed);
    }

    /** The controller checks with {@link AccountAccess} (account-scoped endpoints of tokens and audit logs). */
    static AccessRule checkedByController() {
        return (caller, variables) -> { };
    }

    private static void requirePermission(Caller caller, Permission needed) {
        if (!caller.has(needed)) {
            throw new ApiException(ApiErrorCode.PERMISSION_DENIED, "This token lacks the " + needed.wire() + " permission");
        }
    }

    /** The one instance of {@link #anyToken()}, so the policy can tell that such an endpoint never answers 403. */
    final class AnyToken {
        static final AccessRule RULE = (caller, variables) -> { };

        private AnyToken() {}
    }
}
