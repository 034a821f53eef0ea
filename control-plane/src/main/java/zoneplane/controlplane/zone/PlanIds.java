package zoneplane.controlplane.zone;

import java.util.Map;
import java.util.Optional;
import zoneplane.model.Plan;

/**
 * Plans as Cloudflare identifies them in a zone's {@code plan}: a 32-hex {@code id}, the short
 * name in {@code legacy_id} ({@code free}, {@code pro}, …). The Free plan's id is Cloudflare's own
 * ({@code 0fee…}); the others are Zoneplane's, stable across releases. Requests may name a plan by
 * either.
 */
final class PlanIds {

    private static final Map<Plan, String> IDS = Map.of(
            Plan.FREE, "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
            Plan.PRO, "ec6b56c4a219b8059178dc91f73a04f9",
            Plan.BUSINESS, "b83145c77a1517119db152059aad0211",
            Plan.ENTERPRISE, "e9905b089efb5ecbb67a31b05841ed62");

    private PlanIds() {}

    static String id(Plan plan) {
        return IDS.get(plan);
    }

    /** The plan of a legacy id ({@code pro}) or a 32-hex id. */
    static Optional<Plan> fromAnyId(String id) {
        return Plan.fromId(id).or(() -> IDS.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).findFirst());
    }
}
