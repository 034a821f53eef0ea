package zoneplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,       10.255.1.2,   true",
        "10.0.0.0/8,       11.0.0.1,     false",
        "192.0.2.128/25,   192.0.2.200,  true",
        "192.0.2.128/25,   192.0.2.127,  false",
        "192.0.2.1,        192.0.2.1,    true",
        "0.0.0.0/0,        203.0.113.9,  true",
        "2001:db8::/32,    2001:db8:1::1, true",
        "2001:db8::/32,    2001:db9::1,  false",
        "::1/128,          ::1,          true",
        "10.0.0.0/8,       ::1,          false",
        "::/0,             127.0.0.1,    false",
    })
    void containment(String cidr, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "::/129", "10.0.0/8", "localhost", "proxy.example/8", "10.0.0.0/x"})
    void invalidBlocksAreRefusedWithoutDnsLookups(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
