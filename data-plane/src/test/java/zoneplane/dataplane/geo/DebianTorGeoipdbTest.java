package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loads the real files of Debian's tor-geoipdb package when it is installed. */
class DebianTorGeoipdbTest {

    private static LoadedCountryDatabase loaded;

    @BeforeAll
    static void loadDebianFiles() {
        assumeTrue(GeoIpDatabases.DEBIAN_FILES.stream().allMatch(Files::isRegularFile),
                "Debian's tor-geoipdb is not installed (no /usr/share/tor/geoip and geoip6):"
                        + " apt-get install tor-geoipdb to run this test");
        long started = System.nanoTime();
        loaded = GeoIpDatabases.load(GeoIpDatabases.DEBIAN_FILES);
        long millis = (System.nanoTime() - started) / 1_000_000;
        RangeCountryDatabase ipv4 = loaded.tables().get(0);
        RangeCountryDatabase ipv6 = loaded.tables().get(1);
        System.out.printf("tor-geoipdb loaded in %d ms: IPv4 %d ranges -> %d segments, %d bytes;"
                        + " IPv6 %d ranges -> %d segments, %d bytes; total %d bytes (%.2f MiB)%n",
                millis, ipv4.ipv4Ranges(), ipv4.ipv4Segments(), ipv4.footprintBytes(),
                ipv6.ipv6Ranges(), ipv6.ipv6Segments(), ipv6.footprintBytes(),
                loaded.footprintBytes(), loaded.footprintBytes() / 1048576.0);
    }

    @Test
    void bothFilesLoadWithTheirHundredsOfThousandsOfRanges() {
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.tables()).hasSize(2);
        assertThat(loaded.tables().get(0).ipv4Ranges()).isGreaterThan(200_000);
        assertThat(loaded.tables().get(0).ipv6Ranges()).isZero();
        assertThat(loaded.tables().get(1).ipv6Ranges()).isGreaterThan(100_000);
        assertThat(loaded.tables().get(0).countries()).isGreaterThan(200);
        // two primitive arrays per family: a few MiB, not the hundreds an object per range would take
        assertThat(loaded.footprintBytes()).isLessThan(16L * 1024 * 1024);
    }

    @ParameterizedTest(name = "{0} ({2}) is in {1}")
    @CsvSource({
        "8.8.8.8, US, Google public DNS",
        "193.0.6.139, NL, RIPE NCC in Amsterdam",
        "133.11.0.1, JP, University of Tokyo",
        "200.160.2.3, BR, NIC.br",
        "2001:4860:4860::8888, US, Google public DNS",
        "2001:67c:2e8::1, NL, RIPE NCC",
        "2001:200::1, JP, WIDE project"
    })
    void wellKnownAddressesResolveToTheirCountry(String address, String country, String owner) throws Exception {
        assertThat(loaded.database().countryOf(InetAddress.getByName(address))).isEqualTo(country);
    }

    @Test
    void privateAndLoopbackAddressesAreUnknown() throws Exception {
        for (String address : new String[] {"127.0.0.1", "10.1.2.3", "192.168.1.1", "::1", "fe80::1"}) {
            assertThat(loaded.database().countryOf(InetAddress.getByName(address))).as(address).isEqualTo("XX");
        }
    }
}
