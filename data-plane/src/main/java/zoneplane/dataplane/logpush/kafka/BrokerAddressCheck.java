package zoneplane.dataplane.logpush.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import zoneplane.dataplane.logpush.LogDeliveryException;
import zoneplane.model.ProhibitedAddresses;

/**
 * The SSRF check of a Kafka destination (a tenant chooses the brokers, the node connects to them):
 * the bootstrap brokers before the producer is created, and the brokers the cluster advertises, as the
 * producer's own metadata holds them, before every batch is sent. Each host is resolved here (the JVM's
 * address cache, {@code networkaddress.cache.ttl}, then gives Kafka's own lookup the same answer) and
 * every address it resolves to must pass the {@link BrokerAddressPolicy}; IP literals in the shorthand
 * forms C resolvers accept ({@code 127.1}, {@code 0x7f.1}) are judged as the address they denote.
 *
 * <p>A refusal is a {@link LogDeliveryException} that is not retryable: the destination points at a
 * prohibited address, sending again cannot help. A name that does not resolve is retryable. Blocking
 * (DNS): runs on the destination's own thread only.
 */
final class BrokerAddressCheck {

    private final BrokerAddressPolicy policy;

    BrokerAddressCheck(BrokerAddressPolicy policy) {
        this.policy = policy;
    }

    /** Refuses the destination if a bootstrap broker is or resolves to a prohibited address. */
    void bootstrap(KafkaDestinationConf conf) {
        for (KafkaDestinationConf.Broker broker : conf.brokers()) {
            check("bootstrap broker", broker.resolvableHost());
        }
    }

    /** Refuses the batch if a broker of {@code partitions} (leaders and replicas) is or resolves to a prohibited address. */
    void advertised(List<PartitionInfo> partitions) {
        Set<String> hosts = new LinkedHashSet<>();
        for (PartitionInfo partition : partitions) {
            add(hosts, partition.leader());
            add(hosts, List.of(partition.replicas()));
            add(hosts, List.of(partition.inSyncReplicas()));
            add(hosts, List.of(partition.offlineReplicas()));
        }
        for (String host : hosts) {
            check("advertised broker", host);
        }
    }

    private static void add(Set<String> hosts, Collection<Node> nodes) {
        nodes.forEach(node -> add(hosts, node));
    }

    private static void add(Set<String> hosts, Node node) {
        if (node != null && !node.isEmpty()) {
            hosts.add(node.host());
        }
    }

    private void check(String role, String host) {
        Optional<InetAddress> literal = ProhibitedAddresses.literal(host);
        List<InetAddress> addresses;
        if (literal.isPresent()) {
            addresses = List.of(literal.get());
        } else {
            try {
                addresses = List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw new LogDeliveryException("Kafka " + role + " " + host + " does not resolve", true, e);
            }
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new LogDeliveryException("Kafka " + role + " " + host + " is a prohibited address "
                        + address.getHostAddress() + " (" + refusal.get() + "); a log destination must be public", false, null);
            }
        }
    }
}
