package zoneplane.dataplane.origin;

import java.net.InetAddress;

/**
 * Which configured local source address a visitor's origin connections use (SPEC §5.4): a hash of
 * the visitor's address, so one visitor always uses the same one and visitors spread over all of them.
 */
public final class SourceAddresses {

    private SourceAddresses() {}

    /** An index in {@code [0, count)}; 0 when there is at most one source address. */
    public static int index(InetAddress visitor, int count) {
        if (count <= 1) {
            return 0;
        }
        int h = visitor.hashCode();
        h ^= h >>> 16;
        return Math.floorMod(h * 0x9E3779B9, count);
    }
}
