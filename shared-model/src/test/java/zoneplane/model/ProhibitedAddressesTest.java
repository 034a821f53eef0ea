package zoneplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProhibitedAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255",
            "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255", "169.254.169.254",
            "169.254.0.1", "224.0.0.1", "239.255.255.255", "255.255.255.255", "240.0.0.1",
            "::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::ffff:7f00:1", "::127.0.0.1",
            "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:c0a8:101::1"})
    void prohibitedLiteralsAreRefused(String text) {
        Optional<InetAddress> address = ProhibitedAddresses.literal(text);
        assertThat(address).as(text).isPresent();
        assertThat(ProhibitedAddresses.reason(address.get())).as(text).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "203.0.113.7", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.1.1", "192.167.1.1", "223.255.255.255", "2606:4700::1111", "2001:db8::1",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesAreAllowed(String text) {
        Optional<InetAddress> address = ProhibitedAddresses.literal(text);
        assertThat(address).as(text).isPresent();
        assertThat(ProhibitedAddresses.reason(address.get())).as(text).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.0.1", "017700000001",
            "127.0.0.1.", "[::1]", "[::ffff:127.0.0.1]", "0", "0x0", "169.16689662", "0xa9fea9fe", "[fe80::1%25eth0]",
            "[FE80::1]", "0300.0250.0.1"})
    void shorthandAndBracketedFormsAreRecognisedAndRefused(String text) {
        Optional<InetAddress> address = ProhibitedAddresses.literal(text.replace("%25", "%"));
        assertThat(address).as(text).isPresent();
        assertThat(ProhibitedAddresses.isProhibited(address.get())).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "origin.internal", "0x7g.0.0.1", "1.2.3.4.5", "256.1.1.1", "08.1.1.1",
            "a.b", "[zz::1]", "1.2.3.4294967296", "", "xn--nxasmq6b.example"})
    void namesAndInvalidNumbersAreNotLiterals(String text) {
        assertThat(ProhibitedAddresses.literal(text)).as(text).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "localhost.", "api.localhost"})
    void localhostNamesAreLocal(String text) {
        assertThat(ProhibitedAddresses.isLocalName(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost.example.com", "mylocalhost", "example.com"})
    void otherNamesAreNotLocal(String text) {
        assertThat(ProhibitedAddresses.isLocalName(text)).isFalse();
    }
}
