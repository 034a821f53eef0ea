package zoneplane.controlplane.zone;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of zones.
 *
 * @param nameServerDomain the domain under which the name servers shown in zones'
 *     {@code name_servers} are named ({@code ZONEPLANE_ZONES_NAME_SERVER_DOMAIN}, default
 *     {@code ns.zoneplane.invalid}: set it to the domain of the name servers you run); each account
 *     gets a pair of them, as on Cloudflare ({@code ada.ns.example.net}, {@code kai.ns.example.net})
 */
@ConfigurationProperties("zoneplane.zones")
public record ZoneProperties(@DefaultValue("ns.zoneplane.invalid") String nameServerDomain) {

    public ZoneProperties {
        if (ZoneNames.tryNormalize(nameServerDomain).filter(nameServerDomain::equals).isEmpty()) {
            throw new IllegalArgumentException("zoneplane.zones.name-server-domain must be a lower-case domain name, like ns.example.net: "
                    + nameServerDomain);
        }
    }
}
