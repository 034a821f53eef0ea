package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmdbCountryFileTest {

    @TempDir
    Path directory;

    @Test
    void maxMindsOwnReaderReadsTheTestFileAsWritten() throws Exception {
        // Guards the hand-written test file: if MmdbTestWriter drifted from the format, MaxMind's reader says so.
        Path file = directory.resolve("v6.mmdb");
        new MmdbTestWriter(6).add("8.8.8.0/24", "US").add("2001:200::/32", "JP").write(file);

        try (Reader reader = new Reader(file.toFile())) {
            assertThat(reader.getMetadata().databaseType()).isEqualTo("Zoneplane-Test-Country");
            assertThat(reader.getMetadata().ipVersion()).isEqualTo(6);
            assertThat(reader.get(InetAddress.getByName("8.8.8.8"), Map.class))
                    .isEqualTo(Map.of("country", Map.of("iso_code", "US")));
            assertThat(reader.get(InetAddress.getByName("2001:200::1"), Map.class))
                    .isEqualTo(Map.of("country", Map.of("iso_code", "JP")));
            assertThat(reader.get(InetAddress.getByName("9.9.9.9"), Map.class)).isNull();
        }
    }

    @Test
    void ipv4OnlyTreeLoadsIntoTheIpv4Table() throws Exception {
        Path file = directory.resolve("v4.mmdb");
        new MmdbTestWriter(4).add("10.0.0.0/8", "NL").add("192.0.2.128/25", "SE").write(file);

        RangeCountryDatabase database = MmdbCountryFile.load(file);

        assertThat(database.countryOf(InetAddress.getByName("10.200.3.4"))).isEqualTo("NL");
        assertThat(database.countryOf(InetAddress.getByName("192.0.2.128"))).isEqualTo("SE");
        assertThat(database.countryOf(InetAddress.getByName("192.0.2.127"))).isEqualTo("XX");
        assertThat(database.countryOf(InetAddress.getByName("2001:db8::1"))).isEqualTo("XX");
        assertThat(database.ipv4Ranges()).isEqualTo(2);
        assertThat(database.ipv6Ranges()).isZero();
    }

    @Test
    void registeredCountryAndFlatCountryCodeAreFallbacksAndRecordsWithoutACountryStayUnknown() throws Exception {
        Path file = directory.resolve("schemas.mmdb");
        new MmdbTestWriter(6)
                .add("10.0.0.0/8", Map.of("country", Map.of("iso_code", "NL"), "registered_country", Map.of("iso_code", "DE")))
                .add("11.0.0.0/8", Map.of("registered_country", Map.of("iso_code", "DE"), "continent", Map.of("code", "EU")))
                .add("12.0.0.0/8", Map.of("country_code", "se", "country", "Sweden"))
                .add("13.0.0.0/8", Map.of("continent", Map.of("code", "EU")))
                .write(file);

        RangeCountryDatabase database = MmdbCountryFile.load(file);

        assertThat(database.countryOf(InetAddress.getByName("10.1.1.1"))).isEqualTo("NL");
        assertThat(database.countryOf(InetAddress.getByName("11.1.1.1"))).isEqualTo("DE");
        assertThat(database.countryOf(InetAddress.getByName("12.1.1.1"))).isEqualTo("SE");
        assertThat(database.countryOf(InetAddress.getByName("13.1.1.1"))).isEqualTo("XX");
        assertThat(database.ipv4Ranges()).isEqualTo(3);
    }

    @Test
    void fileThatIsNotAMaxMindDbFailsNamingIt() throws Exception {
        Path file = Files.writeString(directory.resolve("broken.mmdb"), "16777216,16777471,AU\n");

        assertThatThrownBy(() -> MmdbCountryFile.load(file))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith(file + ": is not a valid MaxMind DB (.mmdb) file");
    }

    @Test
    void recordWithAnInvalidCountryCodeFailsNamingTheNetwork() throws Exception {
        Path file = directory.resolve("bad-code.mmdb");
        new MmdbTestWriter(4).add("10.0.0.0/8", "N1").write(file);

        assertThatThrownBy(() -> MmdbCountryFile.load(file))
                .isInstanceOf(GeoFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("10.0.0.0/8")
                .hasMessageContaining("'N1' is not two letters");
    }
}
