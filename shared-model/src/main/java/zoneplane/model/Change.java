package zoneplane.model;

import java.util.Objects;

/**
 * One entry of the control plane's change log: everything a subscriber needs to move its view from
 * {@code revision - 1} to {@code revision}. Changes carry whole zone configurations, so applying one
 * is idempotent and never depends on how the previous value was reached.
 */
public sealed interface Change permits Change.ZoneUpserted, Change.ZoneDeleted {

    long revision();

    String zoneId();

    /** The zone was created or any of its fields or settings changed: {@code zone} is its new state. */
    record ZoneUpserted(long revision, ZoneConfig zone) implements Change {
        public ZoneUpserted {
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public String zoneId() {
            return zone.id();
        }
    }

    /** The zone was deleted; the edge stops serving {@code name}. */
    record ZoneDeleted(long revision, String zoneId, String name) implements Change {
        public ZoneDeleted {
            Objects.requireNonNull(zoneId, "zoneId");
            Objects.requireNonNull(name, "name");
        }
    }
}
