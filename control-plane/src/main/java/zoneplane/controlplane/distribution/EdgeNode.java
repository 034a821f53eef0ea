package zoneplane.controlplane.distribution;

import java.time.Instant;
import java.util.List;
import zoneplane.model.wire.NodeReport;

/**
 * A data-plane node as it last reported itself. {@code live} is whether it reported within
 * {@code zoneplane.distribution.node-dead-after}; {@code lag} is how many revisions it is behind the
 * latest committed one. {@code refused} are the changes up to its applied revision it could not
 * apply (their zones stay at their previous config on that node).
 */
public record EdgeNode(String nodeId, String version, String address, long appliedRevision, Instant registeredOn,
        Instant lastSeen, boolean live, List<NodeReport.Refusal> refused) {

    public EdgeNode {
        refused = List.copyOf(refused);
    }

    public long lag(long latestRevision) {
        return Math.max(0, latestRevision - appliedRevision);
    }

    /** The refusal of {@code zoneId}'s change this node holds, if any. */
    public java.util.Optional<NodeReport.Refusal> refusalOf(String zoneId) {
        return refused.stream().filter(r -> zoneId.equals(r.zoneId())).findFirst();
    }
}
