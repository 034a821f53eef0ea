package zoneplane.controlplane.zone;

import java.time.Instant;
import zoneplane.model.Plan;

/**
 * A zone row with its account's name.
 *
 * @param origin the origin base URL, or the empty string while the zone has none
 */
public record Zone(
        String id,
        String accountId,
        String accountName,
        String name,
        Plan plan,
        String origin,
        boolean paused,
        String type,
        String status,
        Instant createdOn,
        Instant modifiedOn) {

    public boolean hasOrigin() {
        return !origin.isEmpty();
    }
}
