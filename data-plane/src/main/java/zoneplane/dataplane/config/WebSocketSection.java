package zoneplane.dataplane.config;

import static zoneplane.dataplane.config.DataPlaneConfigLoader.WEBSOCKET_IDLE_BUSINESS;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.WEBSOCKET_IDLE_STANDARD;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.WEBSOCKET_LIMITS;
import static zoneplane.dataplane.config.DataPlaneConfigLoader.WEBSOCKET_LIMIT_ENFORCED;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import zoneplane.model.Plan;

/** WebSockets: idle timeouts by plan group and the per-zone concurrency limits by plan. */
record WebSocketSection(Duration idleStandard, Duration idleBusiness, boolean limitEnforced, Map<Plan, Integer> limits) {

    /** Concurrent WebSockets per zone and node by plan: Zoneplane's guidance (Cloudflare publishes none). */
    static final Map<Plan, Integer> DEFAULT_LIMITS = Map.of(
            Plan.FREE, 100, Plan.PRO, 500, Plan.BUSINESS, 2_000, Plan.ENTERPRISE, 10_000);

    static WebSocketSection read(ConfigValues values) {
        Duration idleStandard = values.duration(WEBSOCKET_IDLE_STANDARD, Duration.ofSeconds(100));
        Duration idleBusiness = values.duration(WEBSOCKET_IDLE_BUSINESS, Duration.ofSeconds(600));
        boolean enforced = values.bool(WEBSOCKET_LIMIT_ENFORCED, false);
        Map<Plan, Integer> limits = values.text(WEBSOCKET_LIMITS).map(v -> limits(v, values)).orElse(DEFAULT_LIMITS);
        return new WebSocketSection(idleStandard, idleBusiness, enforced, limits);
    }

    /** {@code free=100,pro=500,…}: plans not named keep their default. */
    private static Map<Plan, Integer> limits(String value, ConfigValues values) {
        Map<Plan, Integer> limits = new EnumMap<>(DEFAULT_LIMITS);
        for (String part : ConfigValues.entries(value)) {
            String[] pair = part.split("=", 2);
            Optional<Plan> plan = Plan.fromId(pair[0].trim().toLowerCase(Locale.ROOT));
            Integer limit = null;
            try {
                limit = pair.length == 2 ? Integer.valueOf(pair[1].trim()) : null;
            } catch (NumberFormatException e) {
                // reported below
            }
            if (plan.isEmpty() || limit == null || limit < 1) {
                values.problem(WEBSOCKET_LIMITS + " must list plan=count pairs such as free=100,pro=500 (plans free, "
                        + "pro, business, enterprise; counts of at least 1), got '" + part + "'");
            } else {
                limits.put(plan.get(), limit);
            }
        }
        return limits;
    }
}
