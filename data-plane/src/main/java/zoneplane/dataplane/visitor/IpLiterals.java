package zoneplane.dataplane.visitor;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP literals from headers without ever resolving a host name. */
public final class IpLiterals {

    private IpLiterals() {}

    /** The address written in {@code text} (IPv4 dotted quad or IPv6, optionally in brackets), or null. */
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
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The RFC 5952 text of {@code address} ({@code ::1}, not the JDK's {@code 0:0:0:0:0:0:0:1}). */
    public static String text(InetAddress address) {
        return NetUtil.toAddressString(address);
    }
}
