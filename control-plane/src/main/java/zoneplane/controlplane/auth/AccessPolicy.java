package zoneplane.controlplane.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The permission model in one table: for every endpoint (HTTP method and path pattern as mapped),
 * what a token needs. Tenant isolation comes first everywhere: another account's (or, for a
 * zone-limited token, another zone's) resources answer 404 as if they did not exist; only then is
 * the permission checked (403). List endpoints are filtered to what the token may see, so a filter
 * naming another account (e.g. {@code GET /zones?account.id=…}) simply matches nothing.
 *
 * <p>Fail closed: an endpoint missing from this table is the operator's only, and a test checks
 * that every mapped endpoint is listed. Paths that need no token ({@link PublicPaths}) and
 * {@code /internal/**} (node token) never reach the table.
 */
@Component
public class AccessPolicy {

    private final Map<String, AccessRule> rules = new LinkedHashMap<>();

    AccessPolicy(ZoneAccess zones) {
        rule("POST", "/accounts", AccessRule.operatorOnly());
        rule("GET", "/accounts", AccessRule.anyToken());
        rule("GET", "/accounts/{account_id}", AccessRule.anyToken());
        rule("POST", "/accounts/{account_id}/tokens", AccessRule.checkedByController());
        rule("GET", "/accounts/{account_id}/tokens", AccessRule.checkedByController());
        rule("GET", "/accounts/{account_id}/tokens/{token_id}", AccessRule.checkedByController());
        rule("DELETE", "/accounts/{account_id}/tokens/{token_id}", AccessRule.checkedByController());
        rule("GET", "/accounts/{account_id}/audit_logs", AccessRule.checkedByController());
        rule("GET", "/accounts/{account_id}/usage", AccessRule.checkedByController());
        rule("GET", "/user/tokens/verify", AccessRule.anyToken());

        rule("POST", "/zones", AccessRule.accountWide(Permission.ZONE_EDIT));
        rule("GET", "/zones", AccessRule.permission(Permission.ZONE_READ));
        rule("GET", "/zones/{zone_id}", AccessRule.zone(zones, Permission.ZONE_READ));
        rule("PATCH", "/zones/{zone_id}", AccessRule.zone(zones, Permission.ZONE_EDIT));
        rule("DELETE", "/zones/{zone_id}", AccessRule.zone(zones, Permission.ZONE_EDIT));
        rule("PUT", "/zones/{zone_id}/activation_check", AccessRule.zone(zones, Permission.ZONE_EDIT));
        rule("GET", "/zones/{zone_id}/dns_records", AccessRule.zone(zones, Permission.ZONE_READ));
        rule("GET", "/zones/{zone_id}/propagation", AccessRule.zone(zones, Permission.ZONE_READ));
        rule("GET", "/zones/{zone_id}/usage", AccessRule.zone(zones, Permission.ANALYTICS_READ));
        rule("GET", "/zone_settings", AccessRule.anyToken());
        rule("GET", "/zones/{zone_id}/settings", AccessRule.zone(zones, Permission.ZONE_SETTINGS_READ));
        rule("PATCH", "/zones/{zone_id}/settings", AccessRule.zone(zones, Permission.ZONE_SETTINGS_EDIT));
        rule("GET", "/zones/{zone_id}/settings/{setting_id}", AccessRule.zone(zones, Permission.ZONE_SETTINGS_READ));
        rule("PATCH", "/zones/{zone_id}/settings/{setting_id}", AccessRule.zone(zones, Permission.ZONE_SETTINGS_EDIT));

        rule("GET", "/zones/{zone_id}/logpush/jobs", AccessRule.zone(zones, Permission.LOGS_READ));
        rule("POST", "/zones/{zone_id}/logpush/jobs", AccessRule.zone(zones, Permission.LOGS_EDIT));
        rule("GET", "/zones/{zone_id}/logpush/jobs/{job_id}", AccessRule.zone(zones, Permission.LOGS_READ));
        rule("PUT", "/zones/{zone_id}/logpush/jobs/{job_id}", AccessRule.zone(zones, Permission.LOGS_EDIT));
        rule("DELETE", "/zones/{zone_id}/logpush/jobs/{job_id}", AccessRule.zone(zones, Permission.LOGS_EDIT));
        rule("GET", "/zones/{zone_id}/logpush/datasets/{dataset_id}/jobs", AccessRule.zone(zones, Permission.LOGS_READ));
        rule("GET", "/zones/{zone_id}/logpush/datasets/{dataset_id}/fields", AccessRule.zone(zones, Permission.LOGS_READ));
        rule("POST", "/zones/{zone_id}/logpush/validate/destination", AccessRule.zone(zones, Permission.LOGS_EDIT));
        rule("POST", "/zones/{zone_id}/logpush/validate/origin", AccessRule.zone(zones, Permission.LOGS_EDIT));

        rule("GET", "/edge_nodes", AccessRule.operatorOnly());
    }

    private void rule(String method, String pattern, AccessRule rule) {
        rules.put(key(method, pattern), rule);
    }

    /** The rule of an endpoint; empty when it is not in the table (then only the operator may call it). */
    public Optional<AccessRule> ruleFor(String method, String pattern) {
        String normalized = "HEAD".equals(method) ? "GET" : method;
        return Optional.ofNullable(rules.get(key(normalized, pattern)));
    }

    /**
     * Whether a valid token can still be refused with 403 here (a permission, the operator, the
     * account): false only for endpoints any valid token may call. For the OpenAPI document.
     */
    public boolean mayForbid(String method, String pattern) {
        return ruleFor(method, pattern).map(rule -> rule != AccessRule.anyToken()).orElse(true);
    }

    /** Every "METHOD pattern" in the table, for the coverage test. */
    public java.util.Set<String> endpoints() {
        return java.util.Collections.unmodifiableSet(rules.keySet());
    }

    static String key(String method, String pattern) {
        return method + " " + pattern;
    }

    @Override
    public String toString() {
        return "AccessPolicy[" + rules.size() + " endpoints]";
    }
}
