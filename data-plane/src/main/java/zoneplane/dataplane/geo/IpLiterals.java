package zoneplane.dataplane.geo;

import io.netty.util.NetUtil;

/**
 * Parses IP address literals without ever touching DNS ({@code InetAddress.getByName} would resolve a
 * name that is not a literal, which must never happen while loading a data file).
 */
final class IpLiterals {

    private IpLiterals() {}

    /**
     * @return 4 bytes for a dotted-quad IPv4 literal, 16 for an IPv6 literal (without brackets or zone)
     * @throws IllegalArgumentException when {@code text} is neither
     */
    static byte[] parse(String text) {
        if (NetUtil.isValidIpV4Address(text)
                || (text.indexOf('%') < 0 && text.indexOf('[') < 0 && NetUtil.isValidIpV6Address(text))) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
            if (bytes != null && (bytes.length == 4 || bytes.length == 16)) {
                return bytes;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }

    /** Parses an IPv6 literal only. */
    static byte[] parseIpv6(String text) {
        if (text.indexOf(':') >= 0) {
            try {
                return parse(text);
            } catch (IllegalArgumentException notAnAddress) {
                // reported below with the IPv6-specific message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
    }
}
