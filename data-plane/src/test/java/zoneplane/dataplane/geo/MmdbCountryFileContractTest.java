package zoneplane.dataplane.geo;

import java.nio.file.Path;

/** The contract on a MaxMind DB with an IPv6 tree holding IPv4 under ::/96, as MaxMind's files do. */
class MmdbCountryFileContractTest extends CountryDatabaseContract {

    @Override
    CountryDatabase load(Path directory) throws Exception {
        Path file = directory.resolve("country.mmdb");
        new MmdbTestWriter(6)
                .add("1.0.0.0/24", "AU")
                .add("1.0.1.0/24", "CN")
                .add("1.0.2.0/23", "CN")
                .add("8.8.8.0/24", "US")
                .add("255.255.255.0/24", "DE")
                .add("2001:200::/32", "JP")
                .add("2a00:1450::/32", "IE")
                .add("ffff:ffff::/32", "FR")
                .write(file);
        return MmdbCountryFile.load(file);
    }
}
