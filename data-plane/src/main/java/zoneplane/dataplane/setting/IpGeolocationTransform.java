package zoneplane.dataplane.setting;

import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitCountry;
import zoneplane.dataplane.geo.TorExitNodes;
import zoneplane.model.Setting;

/** {@code ip_geolocation=on} → {@code CF-IPCountry}: the visitor's country, {@code T1} for Tor, {@code XX} unknown. */
public final class IpGeolocationTransform implements SettingTransform {

    public static final String HEADER = "CF-IPCountry";
    public static final String TOR = TorExitCountry.TOR;

    /** Tor exits first, then the country database: Cloudflare's answer, in one lookup per request. */
    private final TorExitCountry country;

    public IpGeolocationTransform(CountryDatabase countries, TorExitNodes torExits) {
        this.country = new TorExitCountry(countries, torExits);
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
        exchange.originRequestHeaders().set(HEADER, country.countryOf(exchange.visitor().address()));
    }

    @Override
    public String toString() {
        return "IpGeolocationTransform{" + country + "}";
    }
}
