package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every {@link CountryDatabase} built from files must answer, run against each file format. Each
 * subclass writes the same ranges in its format:
 *
 * <pre>
 *   1.0.0.0/24          AU        2001:200::/32      JP
 *   1.0.1.0-1.0.3.255   CN        2a00:1450::/32     IE
 *   8.8.8.0/24          US        ffff:ffff::/32     FR   (the top of the IPv6 space)
 *   255.255.255.0/24    DE        (top of the IPv4 space)
 * </pre>
 */
abstract class CountryDatabaseContract {

    @TempDir
    Path directory;

    private CountryDatabase database;

    /** Writes the ranges above into {@code directory} in this format and loads them. */
    abstract CountryDatabase load(Path directory) throws Exception;

    @BeforeEach
    void loadDatabase() throws Exception {
        database = load(directory);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "1.0.0.0, AU", "1.0.0.255, AU", "1.0.1.0, CN", "1.0.2.77, CN", "1.0.3.255, CN",
        "8.8.8.0, US", "8.8.8.8, US", "8.8.8.255, US", "255.255.255.0, DE", "255.255.255.255, DE",
        "2001:200::, JP", "2001:200:ffff:ffff:ffff:ffff:ffff:ffff, JP", "2001:200:1234::1, JP",
        "2a00:1450:4001:811::200e, IE", "ffff:ffff::, FR", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, FR",
        "::ffff:8.8.8.8, US"
    })
    void addressInsideARangeHasItsCountry(String address, String country) throws Exception {
        assertThat(database.countryOf(InetAddress.getByName(address))).isEqualTo(country);
    }

    @ParameterizedTest(name = "{0} is XX")
    @CsvSource({
        "0.0.0.0", "0.255.255.255", "1.0.4.0", "8.8.7.255", "8.8.9.0", "127.0.0.1", "255.255.254.255",
        "::", "::1", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:201::", "2a00:1451::",
        "fffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
    })
    void addressOutsideEveryRangeIsXX(String address) throws Exception {
        assertThat(database.countryOf(InetAddress.getByName(address))).isEqualTo("XX");
    }
}
