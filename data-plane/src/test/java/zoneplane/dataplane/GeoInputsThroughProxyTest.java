package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.Setting;

/** The production wiring: Tor geoip text files and an exit-list file, loaded by {@link GeoInputs}. */
class GeoInputsThroughProxyTest {

    static final String ONION = "cflareub6dtu7nvs3kqmoigcjdwap2azrkx5zohb2yk7gqjkwoyotwqd.onion";
    static final Path dir;

    static {
        try {
            dir = Files.createTempDirectory("zoneplane-geo");
            // 127.0.0.1 = 2130706433 in Tor's integer notation.
            Files.writeString(dir.resolve("geoip"), "# test ranges\n2130706432,2130706687,NL\n");
            Files.writeString(dir.resolve("geoip6"), "::1,::1,SE\n");
            Files.writeString(dir.resolve("exits"), "::1\n");
            for (String name : List.of("geoip", "geoip6", "exits")) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            dir.toFile().deleteOnExit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
                    Zones.zone("a.test", origin.url()).set(Setting.OPPORTUNISTIC_ONION, "on").build()))
            .env(DataPlaneConfigLoader.GEOIP_FILES, dir.resolve("geoip") + "," + dir.resolve("geoip6"))
            .env(DataPlaneConfigLoader.TOR_EXITS_FILE, dir.resolve("exits").toString())
            .env(DataPlaneConfigLoader.ONION_ADDRESS, ONION)
            .realGeo();

    @Test
    void countryComesFromTheGeoipFilesAndTorExitsFromTheExitList() {
        edge.send(edge.request("a.test", "/", false));
        assertThat(edge.origin().last().header("CF-IPCountry")).isEqualTo("NL");

        var fromTor = edge.send(edge.request("a.test", "/", true));
        assertThat(edge.origin().last().header("CF-IPCountry")).isEqualTo("T1");
        assertThat(fromTor.headers().firstValue("alt-svc")).hasValue(
                "h2=\"" + ONION + ":443\"; ma=86400; persist=1");
    }
}
