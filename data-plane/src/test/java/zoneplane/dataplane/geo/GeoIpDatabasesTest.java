package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpDatabasesTest {

    @TempDir
    Path directory;

    @Test
    void withoutTheVariableTheDebianFilesAreUsed() {
        assertThat(GeoIpDatabases.paths(null)).containsExactly(Path.of("/usr/share/tor/geoip"), Path.of("/usr/share/tor/geoip6"));
        assertThat(GeoIpDatabases.paths("  ")).isEqualTo(GeoIpDatabases.DEBIAN_FILES);
    }

    @Test
    void theVariableIsACommaSeparatedListOfPaths() {
        assertThat(GeoIpDatabases.paths(" /a/country.mmdb , /b/geoip,,/b/geoip6 "))
                .containsExactly(Path.of("/a/country.mmdb"), Path.of("/b/geoip"), Path.of("/b/geoip6"));
    }

    @Test
    void noExistingFileGivesAnXXDatabaseAndAWarningSayingHowToInstallTorGeoipdb() throws Exception {
        Path absent = directory.resolve("geoip");

        LoadedCountryDatabase loaded = GeoIpDatabases.load(List.of(absent));

        assertThat(loaded.database().countryOf(InetAddress.getByName("8.8.8.8"))).isEqualTo("XX");
        assertThat(loaded.database().countryOf(InetAddress.getByName("2001:4860::1"))).isEqualTo("XX");
        assertThat(loaded.tables()).isEmpty();
        assertThat(loaded.warnings()).singleElement().asString()
                .contains(absent.toString())
                .contains("apt-get install tor-geoipdb")
                .contains("ZONEPLANE_GEOIP_FILES");
    }

    @Test
    void aMissingFileBesideAnExistingOneIsWarnedAboutAndSkipped() throws Exception {
        Path ipv4 = Files.writeString(directory.resolve("geoip"), "134744064,134744319,US\n");
        Path absent = directory.resolve("geoip6");

        LoadedCountryDatabase loaded = GeoIpDatabases.load(List.of(ipv4, absent));

        assertThat(loaded.database().countryOf(InetAddress.getByName("8.8.8.8"))).isEqualTo("US");
        assertThat(loaded.warnings()).singleElement().asString().contains(absent + " does not exist");
    }

    @Test
    void pathEndingInMmdbIsReadAsMaxMindDbAndAnsweredBeforeLaterFiles() throws Exception {
        Path mmdb = directory.resolve("Country.MMDB");
        new MmdbTestWriter(6).add("8.8.8.0/24", "CA").write(mmdb);
        Path tor = Files.writeString(directory.resolve("geoip"), "134744064,134744319,US\n134744320,134744575,MX\n");

        LoadedCountryDatabase loaded = GeoIpDatabases.fromEnvironment(Map.of("ZONEPLANE_GEOIP_FILES", mmdb + "," + tor));

        assertThat(loaded.database().countryOf(InetAddress.getByName("8.8.8.8"))).isEqualTo("CA");
        assertThat(loaded.database().countryOf(InetAddress.getByName("8.8.9.1"))).isEqualTo("MX");
        assertThat(loaded.tables()).hasSize(2);
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.footprintBytes()).isEqualTo(
                loaded.tables().get(0).footprintBytes() + loaded.tables().get(1).footprintBytes());
    }

    @Test
    void aSingleFileIsUsedDirectlyWithoutAChain() throws Exception {
        Path tor = Files.writeString(directory.resolve("geoip"), "134744064,134744319,US\n");

        LoadedCountryDatabase loaded = GeoIpDatabases.load(List.of(tor));

        assertThat(loaded.database()).isSameAs(loaded.tables().get(0));
    }

    @Test
    void anExistingMalformedFileFailsTheLoad() throws Exception {
        Path tor = Files.writeString(directory.resolve("geoip"), "not a range\n");

        assertThatThrownBy(() -> GeoIpDatabases.load(List.of(tor)))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith(tor + " line 1: ");
    }
}
