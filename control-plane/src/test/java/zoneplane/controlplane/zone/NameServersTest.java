package zoneplane.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import zoneplane.controlplane.api.Identifiers;

/** The name servers a zone shows: a distinct pair per account under the operator's domain. */
class NameServersTest {

    @Test
    void eachAccountGetsTwoDistinctNameServersUnderTheDomainAlwaysTheSame() {
        NameServers servers = new NameServers(new ZoneProperties("ns.example.net"));
        Set<List<String>> pairs = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String account = Identifiers.newId();
            List<String> pair = servers.of(account);
            assertThat(pair).hasSize(2).allMatch(name -> name.matches("[a-z]+\\.ns\\.example\\.net"));
            assertThat(pair.get(0)).isNotEqualTo(pair.get(1));
            assertThat(servers.of(account)).isEqualTo(pair);
            pairs.add(pair);
        }
        assertThat(pairs.size()).as("pairs spread over accounts").isGreaterThan(100);
    }

    @Test
    void theDomainMustBeALowerCaseDomainName() {
        for (String bad : List.of("", "localhost", "NS.Example.net", "ns..example.net", "http://ns.example.net", "ns.example.net.")) {
            assertThatThrownBy(() -> new ZoneProperties(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("name-server-domain");
        }
        assertThat(new ZoneProperties("ns.zoneplane.invalid").nameServerDomain()).isEqualTo("ns.zoneplane.invalid");
    }
}
