package zoneplane.dataplane.origin;

import java.io.IOException;
import java.net.InetAddress;

/**
 * An origin's address is one the edge must not connect to ({@link zoneplane.model.ProhibitedAddresses}):
 * raised before any connection is attempted, answered to the visitor as 502, "Error 1000: DNS points
 * to prohibited IP" as Cloudflare does. The message names the address (for the node's log), the
 * visitor's page does not.
 */
public final class ProhibitedOriginException extends IOException {

    public ProhibitedOriginException(String host, InetAddress address, String reason) {
        super("origin " + host + " resolves to a prohibited IP " + address.getHostAddress() + " (" + reason + ")");
    }

    /** Whether {@code error} or one of its causes is a prohibited origin. */
    public static boolean isCause(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ProhibitedOriginException) {
                return true;
            }
        }
        return false;
    }
}
