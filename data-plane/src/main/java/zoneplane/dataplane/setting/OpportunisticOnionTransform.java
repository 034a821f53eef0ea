package zoneplane.dataplane.setting;

import java.util.Optional;
import zoneplane.dataplane.geo.TorExitNodes;
import zoneplane.model.Setting;

/**
 * {@code opportunistic_onion=on} and the visitor is a Tor exit → the response carries
 * {@code alt-svc: h2="<onion>:443"; ma=86400; persist=1}. Nobody else gets it; without a configured
 * onion address the transform does nothing (the node logs that once at start).
 */
public final class OpportunisticOnionTransform implements SettingTransform {

    public static final String HEADER = "alt-svc";

    private final TorExitNodes torExits;
    private final String altSvc;

    public OpportunisticOnionTransform(TorExitNodes torExits, Optional<String> onionAddress) {
        this.torExits = torExits;
        this.altSvc = onionAddress.map(onion -> "h2=\"" + onion + ":443\"; ma=86400; persist=1").orElse(null);
    }

    @Override
    public Setting setting() {
        return Setting.OPPORTUNISTIC_ONION;
    }

    @Override
    public void apply(ProxyExchange exchange) {
        if (altSvc != null && exchange.settings().toggle(Setting.OPPORTUNISTIC_ONION)
                && torExits.isExit(exchange.visitor().address())) {
            exchange.addResponseHeader(HEADER, altSvc);
        }
    }

    @Override
    public String toString() {
        return "OpportunisticOnionTransform{altSvc=" + altSvc + "}";
    }
}
