package zoneplane.dataplane.setting;

import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;
import zoneplane.model.Setting;

/** {@code ip_geolocation=on} → {@code CF-IPCountry}: the visitor's country, {@code T1} for Tor, {@code XX} unknown. */
public final class IpGeolocationTransform implements SettingTransform {

    public static final String HEADER = "CF-IPCountry";
    public static final String TOR = "T1";

    private final CountryDatabase countries;
    private final TorExitNodes torExits;

    public IpGeolocationTransform(CountryDatabase countries, TorExitNodes torExits) {
        this.countries = countries;
        this.torExits = torExits;
    }

    @Override
    public Setting setting() {
        return Setting.IP_GEOLOCATION;
    }

    @Override
    public void apply(ProxyExchange exchange) {
        if (!exchange.settings().toggle(Setting.IP_GEOLOCATION)) {
            return;
        }
        var address = exchange.visitor().address();
        String country = torExits.isExit(address) ? TOR : countries.countryOf(address);
        exchange.originRequestHeaders().set(HEADER, country);
    }

    @Override
    public String toString() {
        return "IpGeolocationTransform{" + countries + ", " + torExits + "}";
    }
}
