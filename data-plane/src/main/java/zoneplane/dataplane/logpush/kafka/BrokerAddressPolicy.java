package zoneplane.dataplane.logpush.kafka;

import java.net.InetAddress;
import java.util.Optional;
import zoneplane.model.ProhibitedAddresses;

/**
 * Which broker addresses a Kafka destination may connect to. A node uses {@link #forNode}: the origins'
 * rule ({@link ProhibitedAddresses}, what {@code PublicOriginResolvers} applies to origins) unless the
 * operator allows private destinations. Applied to every address the bootstrap brokers resolve to and
 * to every broker the cluster advertises ({@link BrokerAddressCheck}). Thread-safe.
 */
@FunctionalInterface
public interface BrokerAddressPolicy {

    /** Why the destination may not connect to {@code address}, or empty when it may. */
    Optional<String> refusal(InetAddress address);

    /** Only public addresses: the origins' rule. */
    static BrokerAddressPolicy publicOnly() {
        return ProhibitedAddresses::reason;
    }

    /** Any address (loopback and private included): the operator allows private destinations. */
    static BrokerAddressPolicy anyAddress() {
        return address -> Optional.empty();
    }

    /** The node's policy: {@link #anyAddress()} when {@code allowPrivate}, else {@link #publicOnly()}. */
    static BrokerAddressPolicy forNode(boolean allowPrivate) {
        return allowPrivate ? anyAddress() : publicOnly();
    }
}
