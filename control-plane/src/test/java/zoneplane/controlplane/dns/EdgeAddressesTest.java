package zoneplane.controlplane.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeAddressesTest {

    @Test
    void addressesAreCanonicalisedWithRfc5952Compression() {
        EdgeAddresses edge = new EdgeAddresses(List.of(" 203.0.113.7 ", ""),
                List.of("2001:0DB8:0000:0000:0001:0000:0000:0001", "::1", "[fe80::1]", "2001:db8:0:1:0:0:0:0"));
        assertThat(edge.ipv4Addresses()).containsExactly("203.0.113.7");
        assertThat(edge.ipv6Addresses()).containsExactly("2001:db8::1:0:0:1", "::1", "fe80::1", "2001:db8:0:1::");
    }

    @Test
    void hostNamesAndWrongFamiliesAreRefusedAtStartUp() {
        assertThatThrownBy(() -> new EdgeAddresses(List.of("edge.example.com"), List.of())).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new EdgeAddresses(List.of("::1"), List.of())).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new EdgeAddresses(List.of("300.1.1.1"), List.of())).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new EdgeAddresses(List.of(), List.of("127.0.0.1"))).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> new EdgeAddresses(List.of(), List.of("fe80::1%eth0"))).hasMessageContaining("IPv6");
    }
}
