package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.config.EventLoopSettings;
import zoneplane.dataplane.origin.OriginObserver;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;

/** Origin connections bind one of several local addresses, chosen by hashing the visitor (SPEC §5.4). */
class OriginSourceAddressTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.ORIGIN_SOURCE_ADDRESSES, "127.0.0.2,127.0.0.3");

    @Test
    void oneVisitorAlwaysUsesTheSameConfiguredSourceAddress() {
        for (int i = 0; i < 5; i++) {
            edge.get("a.test", "/" + i);
        }
        Set<InetAddress> sources = new HashSet<>();
        edge.origin().requests().forEach(r -> sources.add(r.peer().getAddress()));

        assertThat(sources).hasSize(1);
        assertThat(sources.iterator().next().getHostAddress()).isIn("127.0.0.2", "127.0.0.3");
    }

    @Test
    void visitorsSpreadOverAllSourceAddresses() throws Exception {
        EdgeEventLoops loops = new EdgeEventLoops("SRC", new EventLoopSettings(1, false));
        OriginClients clients = new OriginClients(edge.node().config(), loops, OriginObserver.NONE);
        try {
            Set<Integer> used = new HashSet<>();
            for (int i = 1; i <= 64; i++) {
                used.add(clients.index(InetAddress.getByName("203.0.113." + i)));
            }
            assertThat(used).containsExactlyInAnyOrder(0, 1);
        } finally {
            clients.close();
            loops.disposeLater().block(Duration.ofSeconds(5));
        }
    }
}
