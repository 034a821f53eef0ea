package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TorGeoipFileTest {

    @TempDir
    Path directory;

    @Test
    void commentsBlankLinesAndSpacesAreIgnoredAndBothFamiliesMayShareAFile() throws Exception {
        RangeCountryDatabase database = TorGeoipFile.load(write("mixed",
                "# comment", "", "  16777216 , 16777471 , AU  ", "   # indented comment",
                "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP"));

        assertThat(database.countryOf(InetAddress.getByName("1.0.0.9"))).isEqualTo("AU");
        assertThat(database.countryOf(InetAddress.getByName("2001:200::9"))).isEqualTo("JP");
        assertThat(database.ipv4Ranges()).isEqualTo(1);
        assertThat(database.ipv6Ranges()).isEqualTo(1);
    }

    @Test
    void unknownMarkerLowerCaseAndUkAreNormalised() throws Exception {
        RangeCountryDatabase database = TorGeoipFile.load(write("geoip",
                "16777216,16777471,??", "16777472,16777727,gb", "16777728,16777983,UK", "16777984,16778239,eu"));

        assertThat(database.countryOf(InetAddress.getByName("1.0.0.1"))).isEqualTo("XX");
        assertThat(database.countryOf(InetAddress.getByName("1.0.1.1"))).isEqualTo("GB");
        assertThat(database.countryOf(InetAddress.getByName("1.0.2.1"))).isEqualTo("GB");
        assertThat(database.countryOf(InetAddress.getByName("1.0.3.1"))).isEqualTo("EU");
        assertThat(database.ipv4Ranges()).isEqualTo(3);
        assertThat(database.countries()).isEqualTo(2);
    }

    @Test
    void adjacentRangesOfOneCountryShareASegment() {
        RangeCountryDatabase database = TorGeoipFile.load(write("geoip",
                "16777216,16777471,AU", "16777472,16777727,AU", "16777728,16777983,CN"));

        // [0, 1.0.0.0) unknown, AU (both ranges), CN, then unknown to the top
        assertThat(database.ipv4Segments()).isEqualTo(4);
        assertThat(database.ipv4Ranges()).isEqualTo(3);
    }

    @Test
    void rawAddressOverloadsAgreeWithInetAddress() throws Exception {
        RangeCountryDatabase database = TorGeoipFile.load(write("geoip",
                "134744064,134744319,US", "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,US"));

        assertThat(database.countryOf(new byte[] {8, 8, 8, 8})).isEqualTo("US");
        assertThat(database.countryOfIpv4(0x08080808)).isEqualTo("US");
        assertThat(database.countryOf(InetAddress.getByName("2001:4860:4860::8888").getAddress())).isEqualTo("US");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 8; mapped[13] = 8; mapped[14] = 8; mapped[15] = 8;
        assertThat(database.countryOf(mapped)).isEqualTo("US");
        assertThat(database.countryOf(new byte[5])).isEqualTo("XX");
    }

    @ParameterizedTest(name = "line ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "16777216,16777471                        | expected LOW,HIGH,CC",
        "16777216,16777471,AU,extra               | found 4 field(s)",
        "1.0.0.0,1.0.0.255,AU                     | is not an IPv4 address as an integer",
        "16777216,4294967296,AU                   | larger than 4294967295",
        "-1,16777471,AU                           | is not an IPv4 address as an integer",
        "16777471,16777216,AU                     | is after its end",
        "16777216,16777471,A1X                    | is not two letters",
        "16777216,16777471,                       | is not two letters",
        "2001:200::,2001:200::zz,JP               | is not an IPv6 address",
        "2001:200::,1.2.3.4,JP                    | is not an IPv6 address",
        "2001:201::,2001:200::,JP                 | is after its end",
        "example.com,2001:200::,JP                | is not an IPv4 address as an integer"
    })
    void malformedLineFailsNamingFileAndLine(String line, String problem) {
        Path file = write("geoip", "# header", line);

        assertThatThrownBy(() -> TorGeoipFile.load(file))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith(file + " line 2: ")
                .hasMessageContaining(problem);
    }

    @Test
    void overlappingIpv4RangesFailNamingTheLine() {
        Path file = write("geoip", "16777216,16777471,AU", "16777400,16777727,CN");

        assertThatThrownBy(() -> TorGeoipFile.load(file))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith(file + " line 2: ")
                .hasMessageContaining("starts at or before the end of the previous range (1.0.0.255)")
                .hasMessageContaining("must be sorted ascending and must not overlap");
    }

    @Test
    void unsortedIpv6RangesFailNamingTheLine() {
        Path file = write("geoip6", "2001:200::,2001:200::ff,JP", "2001:100::,2001:100::ff,JP");

        assertThatThrownBy(() -> TorGeoipFile.load(file))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith(file + " line 2: ")
                .hasMessageContaining("starts at or before the end of the previous range (2001:200:0:0:0:0:0:ff)")
                .hasMessageContaining("must be sorted ascending and must not overlap");
    }

    @Test
    void missingFileIsAnIoErrorNamingIt() {
        Path file = directory.resolve("absent");

        assertThatThrownBy(() -> TorGeoipFile.load(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void emptyFileAnswersXXEverywhere() throws Exception {
        RangeCountryDatabase database = TorGeoipFile.load(write("geoip", "# nothing"));

        assertThat(database.countryOf(InetAddress.getByName("8.8.8.8"))).isEqualTo("XX");
        assertThat(database.countryOf(InetAddress.getByName("2001:db8::1"))).isEqualTo("XX");
        assertThat(database.ipv4Segments()).isZero();
    }

    private Path write(String name, String... lines) {
        try {
            return Files.write(directory.resolve(name), java.util.List.of(lines));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
