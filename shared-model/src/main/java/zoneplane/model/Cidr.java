package zoneplane.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}): the one prefix match of
 * both planes (the data plane's trusted proxy ranges, {@link ProhibitedAddresses}' ranges). Immutable;
 * {@link #contains} allocates nothing beyond the address's own byte copy.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code 192.0.2.0/24}, {@code ::1/128} or a bare address (a single host). Only literal
     * addresses are accepted: a host name would need a DNS lookup, which configuration must not do.
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!looksLikeLiteral(address)) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length of '" + text + "' must be 0.." + max);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, trimmed);
    }

    /** A block from its network bytes (4 or 16) as they are; {@code text} is what {@link #toString} says. */
    static Cidr of(byte[] network, int prefixLength, String text) {
        return new Cidr(mask(network, prefixLength), prefixLength, text);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the address of these bytes (4: IPv4, 16: IPv6) is in the block. */
    boolean contains(byte[] candidate) {
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int bitMask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[fullBytes] & bitMask) == (network[fullBytes] & 0xFF);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = Arrays.copyOf(bytes, bytes.length);
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(1 << (7 - bit % 8));
        }
        return masked;
    }

    /**
     * Whether {@code address} has only the characters of an IPv4 or IPv6 literal (digits, hex, dots and
     * colons), the check {@link #parse} makes so that {@code InetAddress} never resolves a name.
     */
    public static boolean looksLikeLiteral(String address) {
        if (address.isEmpty()) {
            return false;
        }
        boolean colon = address.indexOf(':') >= 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (colon && (c == ':' || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return false;
            }
        }
        return colon || address.chars().filter(c -> c == '.').count() == 3;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
