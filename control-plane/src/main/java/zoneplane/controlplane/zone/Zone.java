package zoneplane.controlplane.zone;

import java.time.Instant;
import zoneplane.model.Plan;

/**
 * A zone row with its account's name.
 *
 * @param origin the origin base URL, or the empty string while the zone has none
 * @param status {@code active} (served by the edge), {@code pending} (its name is active in another
 *     account, or it was never activated) or {@code moved} (another account's zone of the name was
 *     activated over it)
 * @param activatedOn when the zone last became active; null if it never was
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
        Instant modifiedOn,
        Instant activatedOn) {

    public static final String ACTIVE = "active";
    public static final String PENDING = "pending";
    public static final String MOVED = "moved";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public boolean hasOrigin() {
        return !origin.isEmpty();
    }
}
