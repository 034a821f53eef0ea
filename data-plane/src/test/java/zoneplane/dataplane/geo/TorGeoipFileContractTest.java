package zoneplane.dataplane.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The contract on Debian's layout: IPv4 in {@code geoip}, IPv6 in {@code geoip6}, loaded by the factory. */
class TorGeoipFileContractTest extends CountryDatabaseContract {

    @Override
    CountryDatabase load(Path directory) throws Exception {
        Path ipv4 = Files.writeString(directory.resolve("geoip"), String.join("\n",
                "# Tor geoip, IPv4 as integers",
                "16777216,16777471,AU",
                "16777472,16778239,CN",
                "134744064,134744319,US",
                "4294967040,4294967295,DE",
                ""));
        Path ipv6 = Files.writeString(directory.resolve("geoip6"), String.join("\n",
                "# Tor geoip6",
                "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP",
                "2a00:1450::,2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff,IE",
                "ffff:ffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,FR"));
        return GeoIpDatabases.load(List.of(ipv4, ipv6)).database();
    }
}
