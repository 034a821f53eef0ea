package zoneplane.controlplane.distribution;

import java.time.Instant;

/**
 * A data-plane node as it last reported itself. {@code live} is whether it reported within
 * {@code zoneplane.distribution.node-dead-after}; {@code lag} is how many revisions it is behind the
 * latest committed one.
 */
public record EdgeNode(String nodeId, String version, String address, long appliedRevision, Instant registeredOn,
        Instant lastSeen, boolean live) {

    public long lag(long latestRevision) {
        return Math.max(0, latestRevision - appliedRevision);
    }
}
