package zoneplane.dataplane.setting;

import java.util.List;
import java.util.Optional;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;

/**
 * The one list of per-request setting behaviours. Adding a setting to the data plane is a new
 * {@link SettingTransform} class plus one line here; the router and the proxy do not change.
 * {@code ipv6} has no per-request effect (it decides which DNS records the edge publishes, SPEC §5.7),
 * so it has no transform.
 */
public final class SettingTransforms {

    private SettingTransforms() {}

    /** Order matters only where one transform reads another's result: pseudo IPv4 runs before True-Client-IP. */
    public static List<SettingTransform> all(CountryDatabase countries, TorExitNodes torExits, Optional<String> onion) {
        return List.of(
                new GrpcTransform(),
                new MaxUploadTransform(),
                new WebSocketsTransform(),
                new IpGeolocationTransform(countries, torExits),
                new PseudoIpv4Transform(),
                new TrueClientIpTransform(),
                new OpportunisticOnionTransform(torExits, onion));
    }
}
