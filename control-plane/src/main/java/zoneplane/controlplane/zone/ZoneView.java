package zoneplane.controlplane.zone;

import com.fasterxml.jackson.annotation.JsonProperty;
import zoneplane.controlplane.api.Timestamps;

/**
 * A zone as the API shows it: Cloudflare's main zone fields plus Zoneplane's {@code origin}
 * ({@code null} while the zone has none).
 */
public record ZoneView(
        String id,
        String name,
        String status,
        boolean paused,
        String type,
        AccountRef account,
        PlanRef plan,
        @JsonProperty("created_on") String createdOn,
        @JsonProperty("modified_on") String modifiedOn,
        @JsonProperty("activated_on") String activatedOn,
        String origin) {

    public record AccountRef(String id, String name) {}

    public record PlanRef(String id, String name) {}

    static ZoneView of(Zone zone) {
        String created = Timestamps.format(zone.createdOn());
        return new ZoneView(zone.id(), zone.name(), zone.status(), zone.paused(), zone.type(),
                new AccountRef(zone.accountId(), zone.accountName()),
                new PlanRef(zone.plan().id(), zone.plan().displayName()),
                created, Timestamps.format(zone.modifiedOn()), created,
                zone.hasOrigin() ? zone.origin() : null);
    }
}
