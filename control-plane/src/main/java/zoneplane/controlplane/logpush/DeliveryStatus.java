package zoneplane.controlplane.logpush;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A job's delivery status across the nodes, from each node's latest report: Cloudflare's three
 * status fields and Zoneplane's totals.
 * <ul>
 * <li>{@code last_complete}: the latest batch any node delivered.</li>
 * <li>{@code last_error} / {@code error_message}: set while the job is failing somewhere, that is
 * while a node that reported within the status window says its last attempt failed (a node
 * reports null again after its next success, as Cloudflare does); then the newest such failure,
 * its message prefixed with the node's id. A node that stopped reporting is gone, not failing.</li>
 * <li>totals: records delivered, dropped and sent again (possible duplicates) over every node and
 * every run of it.</li>
 * </ul>
 */
record DeliveryStatus(Instant lastComplete, Instant lastError, String errorMessage, long recordsDelivered,
        long recordsDropped, long duplicatesRetried, List<NodeDelivery> nodes) {

    /** One node's latest report of one job, its totals including the node's earlier runs. */
    record NodeDelivery(String nodeId, Instant lastComplete, Instant lastError, String errorMessage,
            long recordsDelivered, long recordsDropped, long duplicatesRetried, Instant reportedOn) {}

    static final DeliveryStatus NONE = new DeliveryStatus(null, null, null, 0, 0, 0, List.of());

    static DeliveryStatus merge(List<NodeDelivery> nodes, Instant freshSince) {
        Instant complete = nodes.stream().map(NodeDelivery::lastComplete).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElse(null);
        Optional<NodeDelivery> failing = nodes.stream()
                .filter(n -> n.lastError() != null && !n.reportedOn().isBefore(freshSince))
                .max(Comparator.comparing(NodeDelivery::lastError));
        return new DeliveryStatus(complete, failing.map(NodeDelivery::lastError).orElse(null),
                failing.map(n -> "node " + n.nodeId() + ": " + (n.errorMessage() == null ? "delivery failed" : n.errorMessage()))
                        .orElse(null),
                nodes.stream().mapToLong(NodeDelivery::recordsDelivered).sum(),
                nodes.stream().mapToLong(NodeDelivery::recordsDropped).sum(),
                nodes.stream().mapToLong(NodeDelivery::duplicatesRetried).sum(),
                List.copyOf(nodes));
    }
}
