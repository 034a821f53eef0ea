package zoneplane.dataplane.setting;

import zoneplane.model.Setting;

/**
 * {@code true_client_ip_header=on} → {@code True-Client-IP}, the same address as {@code CF-Connecting-IP}
 * (Cloudflare: "no difference besides the name"). A visitor-supplied value never survives: the proxy
 * strips it before any transform runs.
 */
public final class TrueClientIpTransform implements SettingTransform {

    public static final String HEADER = "True-Client-IP";

    @Override
    public Setting setting() {
        return Setting.TRUE_CLIENT_IP_HEADER;
    }

    @Override
    public void apply(ProxyExchange exchange) {
        if (exchange.settings().toggle(Setting.TRUE_CLIENT_IP_HEADER)) {
            exchange.originRequestHeaders().set(HEADER, exchange.connectingIp());
        }
    }

    @Override
    public String toString() {
        return "TrueClientIpTransform";
    }
}
