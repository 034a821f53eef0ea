package zoneplane.dataplane.visitor;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import zoneplane.model.Cidr;

/**
 * IP address literals, parsed without ever touching DNS ({@code InetAddress.getByName} would resolve a
 * name that is not a literal, which must never happen for a header or while loading a data file), and
 * the one rule for IPv4-mapped IPv6 addresses: {@code ::ffff:a.b.c.d} is the IPv4 visitor {@code a.b.c.d}
 * (a dual-stack socket, or a balancer's PROXY header, may hand the edge either form).
 */
public final class IpLiterals {

    private IpLiterals() {}

    /**
     * The address written in {@code text} (IPv4 dotted quad or IPv6, optionally in brackets), or null.
     * An IPv4-mapped IPv6 literal gives the IPv4 address ({@link #canonical}).
     */
    public static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String literal = text.trim();
        if (literal.length() > 2 && literal.charAt(0) == '[' && literal.charAt(literal.length() - 1) == ']') {
            literal = literal.substring(1, literal.length() - 1);
        }
        if (literal.length() > 45 || !Cidr.looksLikeLiteral(literal)) {
            return null;
        }
        try {
            return canonical(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * {@code address}, or the IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}, RFC 4291
     * §2.5.5.2) carries. The JDK already does this for literals it parses, but not for addresses built
     * from bytes ({@code Inet6Address.getByAddress}, which is how Reactor Netty makes PROXY protocol
     * sources), so every address the edge takes as a visitor's passes here.
     */
    public static InetAddress canonical(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return address;
            }
        }
        if (bytes[10] != (byte) 0xFF || bytes[11] != (byte) 0xFF) {
            return address;
        }
        try {
            return Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address was refused", e);
        }
    }

    /** The RFC 5952 text of {@code address} ({@code ::1}, not the JDK's {@code 0:0:0:0:0:0:0:1}). */
    public static String text(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    /**
     * The bytes of a literal in a data file (geolocation ranges, exit lists).
     *
     * @return 4 bytes for a dotted-quad IPv4 literal, 16 for an IPv6 literal (without brackets or zone)
     * @throws IllegalArgumentException when {@code text} is neither
     */
    public static byte[] bytes(String text) {
        if (NetUtil.isValidIpV4Address(text)
                || (text.indexOf('%') < 0 && text.indexOf('[') < 0 && NetUtil.isValidIpV6Address(text))) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
            if (bytes != null && (bytes.length == 4 || bytes.length == 16)) {
                return bytes;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }

    /** The 16 bytes of an IPv6 literal in a data file; anything else is an IllegalArgumentException. */
    public static byte[] ipv6Bytes(String text) {
        if (text.indexOf(':') >= 0) {
            try {
                return bytes(text);
            } catch (IllegalArgumentException notAnAddress) {
                // reported below with the IPv6-specific message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
    }
}
