package zoneplane.dataplane.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order a node tries the control-plane replicas in, and how names expand to addresses. */
class ControlPlaneReplicasTest {

    private static final List<URI> THREE = List.of(URI.create("http://10.0.0.1:8080"), URI.create("http://10.0.0.2:8080"),
            URI.create("http://10.0.0.3:8080"));

    /** Resolves the names of {@code table}; any other name is unknown. Counts lookups. */
    private static final class Table implements ControlPlaneReplicas.Resolver {
        final Map<String, InetAddress[]> table = new HashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        Table with(String name, String... addresses) throws UnknownHostException {
            InetAddress[] resolved = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                resolved[i] = InetAddress.getByName(addresses[i]); // literals: no lookup
            }
            table.put(name, resolved);
            return this;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.incrementAndGet();
            InetAddress[] found = table.get(host);
            if (found == null) {
                if (host.matches("[0-9.]+")) {
                    return new InetAddress[] {InetAddress.getByName(host)};
                }
                throw new UnknownHostException(host);
            }
            return found;
        }
    }

    @Test
    void everyReplicaIsTriedInTurnAndOnlyAFullRoundOfFailuresBacksOff() throws Exception {
        ControlPlaneReplicas replicas = new ControlPlaneReplicas(THREE, "edge-1", new Table());
        List<URI> tried = new ArrayList<>();
        List<Boolean> backOff = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tried.add(replicas.next().url());
            backOff.add(replicas.failed());
        }

        assertThat(tried.subList(0, 3)).containsExactlyInAnyOrderElementsOf(THREE);
        assertThat(tried.subList(3, 6)).isEqualTo(tried.subList(0, 3));
        assertThat(backOff).containsExactly(false, false, true, false, false, true);

        replicas.next();
        replicas.succeeded(); // a success starts a fresh round: two more failures do not back off yet
        replicas.next();
        assertThat(replicas.failed()).isFalse();
        replicas.next();
        assertThat(replicas.failed()).isFalse();
        replicas.next();
        assertThat(replicas.failed()).isTrue();
    }

    @Test
    void aFleetGivenTheSameListSpreadsOverTheReplicas() {
        Map<URI, Integer> firstPick = new HashMap<>();
        for (int n = 0; n < 3000; n++) {
            URI first = new ControlPlaneReplicas(THREE, "edge-" + n, new Table()).next().url();
            firstPick.merge(first, 1, Integer::sum);
        }
        Map<URI, Integer> randomNames = new HashMap<>();
        for (int n = 0; n < 3000; n++) {
            String id = Long.toHexString(Double.doubleToLongBits(Math.sqrt(n + 2)));
            randomNames.merge(new ControlPlaneReplicas(THREE, id, new Table()).next().url(), 1, Integer::sum);
        }

        assertThat(firstPick).hasSize(3).allSatisfy((url, count) -> assertThat(count).isBetween(800, 1200));
        assertThat(randomNames).hasSize(3).allSatisfy((url, count) -> assertThat(count).isBetween(800, 1200));
        // The same node always starts at the same replica (its reconnects after a restart are predictable).
        assertThat(new ControlPlaneReplicas(THREE, "edge-7", new Table()).next())
                .isEqualTo(new ControlPlaneReplicas(THREE, "edge-7", new Table()).next());
    }

    @Test
    void anHttpNameWithSeveralAddressesIsOneReplicaPerAddressResolvedForEveryAttempt() throws Exception {
        Table dns = new Table().with("replicas.internal", "10.1.0.1", "10.1.0.2", "fd00::3");
        ControlPlaneReplicas replicas = new ControlPlaneReplicas(List.of(URI.create("http://replicas.internal:8080/cp/"),
                URI.create("http://10.0.0.9:8080")), "edge-1", dns);

        List<ControlPlaneReplicas.Replica> all = replicas.resolve();
        assertThat(all).extracting(ControlPlaneReplicas.Replica::base).containsExactly("http://10.1.0.1:8080/cp",
                "http://10.1.0.2:8080/cp", "http://[fd00::3]:8080/cp", "http://10.0.0.9:8080");
        assertThat(all.get(2).url()).isEqualTo(URI.create("http://replicas.internal:8080/cp/"));
        assertThat(all.get(2).address()).isEqualTo("fd00::3");

        int before = dns.lookups.get();
        List<String> tried = new ArrayList<>();
        boolean backedOff = false;
        for (int i = 0; i < 4 && !backedOff; i++) {
            tried.add(replicas.next().base());
            backedOff = replicas.failed();
        }
        assertThat(tried).as("one round covers every address").containsExactlyInAnyOrder("http://10.1.0.1:8080/cp",
                "http://10.1.0.2:8080/cp", "http://[fd00::3]:8080/cp", "http://10.0.0.9:8080");
        assertThat(backedOff).isTrue();
        assertThat(dns.lookups.get() - before).as("resolved again for every attempt").isGreaterThanOrEqualTo(4);

        // The name's addresses change (a replica rescheduled): the next attempt uses the new set.
        dns.with("replicas.internal", "10.1.0.7", "10.1.0.8");
        assertThat(replicas.resolve()).extracting(ControlPlaneReplicas.Replica::base)
                .containsExactly("http://10.1.0.7:8080/cp", "http://10.1.0.8:8080/cp", "http://10.0.0.9:8080");
    }

    @Test
    void namesThatNeedNoExpansionKeepTheConfiguredHost() throws Exception {
        Table dns = new Table().with("single.internal", "10.2.0.1").with("secure.internal", "10.3.0.1", "10.3.0.2");
        ControlPlaneReplicas replicas = new ControlPlaneReplicas(List.of(URI.create("http://single.internal:8080"),
                URI.create("https://secure.internal"), URI.create("http://unknown.internal:8080")), "edge-1", dns);

        assertThat(replicas.resolve()).extracting(ControlPlaneReplicas.Replica::base).containsExactly(
                "http://single.internal:8080", // one address: the name (and Host header) stay as configured
                "https://secure.internal",     // https: the certificate is checked against the name
                "http://unknown.internal:8080"); // unresolvable now: tried as it is, failing like a refusal
        assertThat(replicas.firstGuess().address()).isEmpty();
    }
}
