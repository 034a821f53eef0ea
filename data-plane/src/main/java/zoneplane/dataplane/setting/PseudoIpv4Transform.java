package zoneplane.dataplane.setting;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneSettings;

/**
 * {@code pseudo_ipv4} for IPv6 visitors. {@code add_header} → {@code Cf-Pseudo-IPv4: <240.0.0.0/4 address>};
 * {@code overwrite_header} → also the pseudo address as {@code CF-Connecting-IP} and as the whole
 * {@code X-Forwarded-For} (a visitor's chain is dropped, as Cloudflare's overwrite mode does; every other
 * case appends), the real address in {@code CF-Connecting-IPv6}. IPv4 visitors (an IPv4-mapped IPv6
 * visitor is one: {@code VisitorResolver}) are left alone.
 *
 * <p>The address is a hash of the visitor's /64 prefix only, so every privacy address of one household
 * maps to one pseudo address (Cloudflare does not publish its hash; this is our documented choice).
 */
public final class PseudoIpv4Transform implements SettingTransform {

    public static final String PSEUDO_HEADER = "Cf-Pseudo-IPv4";
    public static final String CONNECTING_IPV6_HEADER = "CF-Connecting-IPv6";

    @Override
    public Setting setting() {
        return Setting.PSEUDO_IPV4;
    }

    /** The values of {@code pseudo_ipv4}, each named as its catalogue word upper-cased. */
    enum Mode {
        OFF,
        ADD_HEADER,
        OVERWRITE_HEADER;

        /** Keyed by the catalogue's canonical values; built once, so a word without a mode fails at start. */
        private static final Map<SettingValue, Mode> BY_VALUE = Setting.PSEUDO_IPV4.allValues().stream()
                .collect(Collectors.toUnmodifiableMap(Function.identity(),
                        value -> Mode.valueOf(value.text().toUpperCase(Locale.ROOT))));

        static Mode of(ZoneSettings settings) {
            return BY_VALUE.get(settings.word(Setting.PSEUDO_IPV4));
        }
    }

    @Override
    public void apply(ProxyExchange exchange) {
        Mode mode = Mode.of(exchange.settings());
        if (mode == Mode.OFF || !exchange.visitor().ipv6()) {
            return;
        }
        String pseudo = pseudoIpv4(exchange.visitor().address());
        exchange.originRequestHeaders().set(PSEUDO_HEADER, pseudo);
        if (mode == Mode.OVERWRITE_HEADER) {
            exchange.originRequestHeaders().set(CONNECTING_IPV6_HEADER, exchange.visitor().ip());
            exchange.overwriteConnectingIp(pseudo);
        }
    }

    /**
     * A Class E (240.0.0.0/4) address from the first 64 bits of an IPv6 address: 240 + 28 bits of a
     * 64-bit mix (SplitMix64's finaliser) of the prefix. 255.255.255.255 (broadcast) is never returned.
     */
    public static String pseudoIpv4(InetAddress ipv6) {
        byte[] bytes = ipv6.getAddress();
        long prefix = 0;
        for (int i = 0; i < 8; i++) {
            prefix = (prefix << 8) | (bytes[i] & 0xFF);
        }
        long z = prefix + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        int address = 0xF0000000 | (int) (z & 0x0FFFFFFF);
        if (address == 0xFFFFFFFF) {
            address = 0xFFFFFFFE;
        }
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    @Override
    public String toString() {
        return "PseudoIpv4Transform";
    }
}
