package zoneplane.controlplane.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The addresses at which the edge (the data-plane fleet) is reachable, published as every zone's
 * A and AAAA records. Literal addresses only, checked at start-up.
 *
 * @param ipv4Addresses {@code zoneplane.edge.ipv4-addresses} / {@code ZONEPLANE_EDGE_ADDRESSES_IPV4}
 *     (comma-separated), default {@code 127.0.0.1}
 * @param ipv6Addresses {@code zoneplane.edge.ipv6-addresses} / {@code ZONEPLANE_EDGE_ADDRESSES_IPV6}
 *     (comma-separated), default {@code ::1}
 */
@ConfigurationProperties("zoneplane.edge")
public record EdgeAddresses(
        @DefaultValue("127.0.0.1") List<String> ipv4Addresses,
        @DefaultValue("::1") List<String> ipv6Addresses) {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public EdgeAddresses {
        ipv4Addresses = ipv4Addresses.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(a -> canonical(a, true)).toList();
        ipv6Addresses = ipv6Addresses.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(a -> canonical(a, false)).toList();
    }

    /** The address in canonical text; never a DNS lookup, since only literals are parsed. */
    private static String canonical(String literal, boolean v4) {
        boolean shape = v4 ? DOTTED_QUAD.matcher(literal).matches() : literal.indexOf(':') >= 0 && literal.indexOf('%') < 0;
        if (shape) {
            try {
                InetAddress address = InetAddress.getByName(v4 ? literal : stripBrackets(literal));
                if (v4 && address instanceof Inet4Address) {
                    return address.getHostAddress();
                }
                if (!v4 && address instanceof Inet6Address) {
                    return rfc5952(address.getAddress());
                }
            } catch (UnknownHostException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("zoneplane.edge." + (v4 ? "ipv4" : "ipv6") + "-addresses: not an "
                + (v4 ? "IPv4" : "IPv6") + " address literal: " + literal);
    }

    /** RFC 5952 text: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
    static String rfc5952(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String stripBrackets(String literal) {
        return literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
    }
}
