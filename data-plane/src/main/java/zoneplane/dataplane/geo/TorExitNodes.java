package zoneplane.dataplane.geo;

import java.net.InetAddress;

/**
 * Whether an address is a known Tor exit node (they get {@code CF-IPCountry: T1} and, when the zone
 * has {@code opportunistic_onion=on}, the onion {@code alt-svc}). Thread-safe and non-blocking; an
 * implementation may reload its list in the background and swap it atomically.
 */
public interface TorExitNodes {

    boolean isExit(InetAddress address);
}
