package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorExitCountryTest {

    @TempDir
    Path directory;

    @Test
    void exitNodesAreT1AndEveryoneElseGetsTheirCountry() throws Exception {
        RangeCountryDatabase countries = TorGeoipFile.load(Files.writeString(directory.resolve("geoip"),
                "134744064,134744319,US\n3118228736,3118228991,DE\n")); // 8.8.8.0/24, 185.220.101.0/24
        Path exitFile = Files.writeString(directory.resolve("exits"), "185.220.101.1\n2001:db8::7\n");
        try (TorExitList exits = TorExitList.watch(exitFile, Duration.ofSeconds(30), outcome -> { })) {
            CountryDatabase visitorCountry = new TorExitCountry(countries, exits);

            assertThat(visitorCountry.countryOf(InetAddress.getByName("185.220.101.1"))).isEqualTo("T1");
            assertThat(visitorCountry.countryOf(InetAddress.getByName("2001:db8::7"))).isEqualTo("T1");
            assertThat(visitorCountry.countryOf(InetAddress.getByName("185.220.101.2"))).isEqualTo("DE");
            assertThat(visitorCountry.countryOf(InetAddress.getByName("8.8.8.8"))).isEqualTo("US");
            assertThat(visitorCountry.countryOf(InetAddress.getByName("192.0.2.1"))).isEqualTo("XX");
        }
    }
}
