package zoneplane.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule, shared by both planes, for addresses a zone's origin must not point at: anything
 * that is not a public unicast address, so that a tenant cannot aim the edge at the operator's own
 * network (the node's management port, the control plane's actuator, a cloud metadata service).
 * Prohibited: unspecified ({@code 0.0.0.0/8}, {@code ::}), loopback ({@code 127.0.0.0/8},
 * {@code ::1}), link-local ({@code 169.254.0.0/16} with the metadata address 169.254.169.254,
 * {@code fe80::/10}), private (RFC 1918 {@code 10/8}, {@code 172.16/12}, {@code 192.168/16}; ULA
 * {@code fc00::/7}; the deprecated site-local {@code fec0::/10}), shared/CGNAT ({@code 100.64/10}),
 * multicast ({@code 224/4}, {@code ff00::/8}), reserved and broadcast ({@code 240/4} with
 * 255.255.255.255). IPv6 forms that carry an IPv4 address (mapped {@code ::ffff:a.b.c.d},
 * compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by
 * that IPv4 address.
 *
 * <p>The control plane refuses such literal origins; the edge checks every address a named origin
 * resolves to before connecting (DNS rebinding). Stateless and thread-safe.
 */
public final class ProhibitedAddresses {

    private ProhibitedAddresses() {}

    /** Why {@code address} may not be an origin (e.g. "loopback"), or empty when it is public. */
    public static Optional<String> reason(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return reason4(b);
        }
        if (address instanceof Inet6Address) {
            return reason6(b);
        }
        return Optional.of("not an IP address");
    }

    public static boolean isProhibited(InetAddress address) {
        return reason(address).isPresent();
    }

    /**
     * The address a URL host denotes when it is an IP literal in any form a resolver would take: a
     * bracketed or bare IPv6 address, a dotted quad, or the {@code inet_aton} shorthands that
     * {@code curl} and C resolvers accept ({@code 127.1}, {@code 2130706433}, {@code 0177.0.0.1},
     * {@code 0x7f.0.0.1}; a trailing dot is ignored). Empty for a host name.
     */
    public static Optional<InetAddress> literal(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.indexOf(':') >= 0) {
            return ipv6(h);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return ipv4(h.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a host name always means this machine whatever DNS says: {@code localhost} and names
     * under {@code .localhost} (RFC 6761 §6.3).
     */
    public static boolean isLocalName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost");
    }

    /** A prohibited block and why; {@code embeddedAt} ≥ 0: judged by the IPv4 address at that byte offset. */
    private record Range(Cidr block, String reason, int embeddedAt) {}

    /** First match wins: broadcast before the reserved block that holds it. */
    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0/8", "unspecified (0.0.0.0/8)"),
            range("127.0.0.0/8", "loopback (127.0.0.0/8)"),
            range("10.0.0.0/8", "private (RFC 1918)"),
            range("172.16.0.0/12", "private (RFC 1918)"),
            range("192.168.0.0/16", "private (RFC 1918)"),
            range("100.64.0.0/10", "shared address space (CGNAT, 100.64.0.0/10)"),
            range("169.254.0.0/16", "link-local (169.254.0.0/16)"),
            range("224.0.0.0/4", "multicast (224.0.0.0/4)"),
            range("255.255.255.255/32", "broadcast (255.255.255.255)"),
            range("240.0.0.0/4", "reserved (240.0.0.0/4)"));

    /**
     * First match wins: {@code ::} and {@code ::1} before the IPv4-compatible block that holds them. The
     * IPv4-mapped block is given as bytes: Java reads {@code ::ffff:a.b.c.d} text as an IPv4 address.
     */
    private static final List<Range> IPV6 = List.of(
            new Range(Cidr.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96,
                    "::ffff:0:0/96"), "IPv4-mapped", 12),
            range("::/128", "unspecified (::)"),
            range("::1/128", "loopback (::1)"),
            new Range(Cidr.parse("::/96"), "IPv4-compatible", 12),
            range("fe80::/10", "link-local (fe80::/10)"),
            range("fec0::/10", "site-local (fec0::/10)"),
            range("fc00::/7", "unique local (fc00::/7)"),
            range("ff00::/8", "multicast (ff00::/8)"),
            new Range(Cidr.parse("64:ff9b::/96"), "NAT64", 12),
            new Range(Cidr.parse("2002::/16"), "6to4", 2));

    private static Range range(String block, String reason) {
        return new Range(Cidr.parse(block), reason, -1);
    }

    private static Optional<String> reason4(byte[] b) {
        return first(IPV4, b);
    }

    private static Optional<String> reason6(byte[] b) {
        return first(IPV6, b);
    }

    private static Optional<String> first(List<Range> ranges, byte[] b) {
        for (Range range : ranges) {
            if (range.block().contains(b)) {
                if (range.embeddedAt() < 0) {
                    return Optional.of(range.reason());
                }
                byte[] v4 = {b[range.embeddedAt()], b[range.embeddedAt() + 1], b[range.embeddedAt() + 2],
                    b[range.embeddedAt() + 3]};
                return reason4(v4).map(why -> range.reason() + " " + why);
            }
        }
        return Optional.empty();
    }

    private static Optional<InetAddress> ipv6(String text) {
        int scope = text.indexOf('%');
        String address = scope < 0 ? text : text.substring(0, scope);
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return Optional.empty();
            }
        }
        try {
            // Only IPv6 literal characters reach here (and a scope after '%'): no name lookup happens.
            return Optional.of(InetAddress.getByName("[" + text + "]"));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the remaining bytes. */
    private static Optional<InetAddress> ipv4(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long value = number(parts[i]);
            if (value < 0) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        int lastBytes = 4 - (parts.length - 1);
        if (last >= (1L << (8 * lastBytes))) {
            return Optional.empty();
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** One inet_aton part, or -1 when it is not a number (then the host is a name). */
    private static long number(String part) {
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0;
            }
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 12) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0) {
                return -1;
            }
            value = value * radix + d;
        }
        return value;
    }
}
