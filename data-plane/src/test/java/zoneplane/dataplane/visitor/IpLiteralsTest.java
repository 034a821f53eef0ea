package zoneplane.dataplane.visitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one IP-literal parser of the data plane: headers (visitor identity) and data files (geo, Tor exits). */
class IpLiteralsTest {

    @ParameterizedTest(name = "{0} built from bytes is {1}")
    @CsvSource({
        "::ffff:8.8.8.8,    8.8.8.8",
        "::ffff:808:404,    8.8.4.4",
        "::ffff:127.0.0.1,  127.0.0.1",
        "::fffe:808:808,    ::fffe:808:808",
        "::808:808,         ::808:808",
        "1::ffff:808:808,   1::ffff:808:808",
        "2001:db8::9,       2001:db8::9",
        "203.0.113.9,       203.0.113.9",
    })
    void canonicalMakesOnlyIpv4MappedAddressesIpv4(String literal, String canonical) throws Exception {
        // Inet6Address.getByAddress keeps a mapped address IPv6, as Reactor Netty's PROXY protocol reader builds it.
        byte[] bytes = IpLiterals.bytes(literal);
        InetAddress built = bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);

        assertThat(IpLiterals.text(IpLiterals.canonical(built))).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "header value {0} is {1}")
    @CsvSource({
        "::ffff:8.8.8.8,      8.8.8.8",
        "[::ffff:8.8.8.8],    8.8.8.8",
        "' 2001:DB8::1 ',     2001:db8::1",
        "198.51.100.1,        198.51.100.1",
    })
    void headerLiteralsAreCanonical(String text, String expected) {
        assertThat(IpLiterals.text(IpLiterals.parse(text))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "localhost", "1.2.3", "", "1.2.3.4.5", "fe80::1%eth0"})
    void namesAndBrokenLiteralsAreNotAddresses(String text) {
        assertThat(IpLiterals.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.999", "not-an-ip", "[::1]", "fe80::1%1"})
    void dataFileLiteralsAreCheckedStrictly(String text) {
        assertThatThrownBy(() -> IpLiterals.bytes(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "zz::1"})
    void ipv6OnlyRefusesEverythingElse(String text) {
        assertThatThrownBy(() -> IpLiterals.ipv6Bytes(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv6");
    }
}
