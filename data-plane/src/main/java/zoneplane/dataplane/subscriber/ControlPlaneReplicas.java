package zoneplane.dataplane.subscriber;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import zoneplane.dataplane.visitor.IpLiterals;

/**
 * The control-plane replicas a node may follow ({@code ZONEPLANE_CONTROL_PLANE_URL}, one or more URLs)
 * and the order it tries them in. Any replica serves any node (SPEC §4), so the node takes whichever
 * answers: each attempt goes to the next replica in the rotation, and the rotation starts at a place
 * chosen by a hash of the node id, so a fleet given the same list spreads over the replicas instead
 * of every node landing on the first one.
 *
 * <p>A plain-http URL whose host name resolves to several addresses counts as one replica per
 * address (a headless Service, a round-robin DNS name): the name is resolved again for every
 * attempt (the JVM's DNS cache applies), and each address is tried in turn, with the request sent to
 * the address itself. An https name stays one replica, connected to the address the JDK picks:
 * the JDK 17 HTTP client checks the certificate against the host of the URL it is given, so sending
 * to an address literal would either fail verification or need it weakened; list the replicas' https
 * URLs one by one instead.
 *
 * <p>Not thread-safe: the subscriber's thread alone calls {@link #next()} and {@link #failed()}.
 */
final class ControlPlaneReplicas {

    /** Name resolution, {@code InetAddress::getAllByName} outside tests. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * One place to connect: a configured URL and, when its name was expanded, the one address of it.
     *
     * @param url the URL as configured
     * @param address the address connected to ({@code ""}: the JDK resolves {@code url}'s host itself)
     */
    record Replica(URI url, String address) {

        Replica {
            Objects.requireNonNull(url);
            Objects.requireNonNull(address);
        }

        /** Where requests go: {@code scheme://host-or-address:port/path-prefix}, without a trailing slash. */
        String base() {
            String host = address.isEmpty() ? url.getHost() : address;
            if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
                host = "[" + host + "]";
            }
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return url.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + host
                    + (url.getPort() >= 0 ? ":" + url.getPort() : "") + path;
        }

        @Override
        public String toString() {
            return address.isEmpty() ? url.toString() : url + " (" + address + ")";
        }
    }

    private final List<URI> urls;
    private final Resolver resolver;
    private int cursor;
    private int failuresInRow;
    private int lastCount = 1;

    ControlPlaneReplicas(List<URI> urls, String nodeId, Resolver resolver) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one control-plane URL is needed");
        }
        this.urls = List.copyOf(urls);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.cursor = spread(nodeId);
    }

    /**
     * Where to report before the first attempt, without resolving anything (the caller may be the
     * thread that must publish the disk cache at once): the URL the rotation starts at.
     */
    Replica firstGuess() {
        return new Replica(urls.get(Math.floorMod(cursor, urls.size())), "");
    }

    /** The replica to try now; the one after it is tried next time. */
    Replica next() {
        List<Replica> all = resolve();
        lastCount = all.size();
        Replica replica = all.get(Math.floorMod(cursor, all.size()));
        cursor++;
        return replica;
    }

    /** The last replica given out worked (answered the node): a later failure starts a new round. */
    void succeeded() {
        failuresInRow = 0;
    }

    /**
     * The last replica given out failed. Returns whether every replica has now failed once since the
     * last success: only then should the caller back off; otherwise it tries the next one at once.
     */
    boolean failed() {
        failuresInRow++;
        if (failuresInRow >= lastCount) {
            failuresInRow = 0;
            return true;
        }
        return false;
    }

    /** Every replica as of now, in rotation order: each URL, expanded to its addresses where it may be. */
    List<Replica> resolve() {
        List<Replica> all = new ArrayList<>();
        for (URI url : urls) {
            all.addAll(expand(url));
        }
        return all;
    }

    private List<Replica> expand(URI url) {
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            return List.of(new Replica(url, ""));
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(url.getHost());
        } catch (UnknownHostException | SecurityException e) {
            // Tried as it is: connecting fails with the JDK's own message, counted like any refusal.
            return List.of(new Replica(url, ""));
        }
        if (addresses == null || addresses.length <= 1) {
            return List.of(new Replica(url, "")); // one address: keep the name (and the Host header) as configured
        }
        List<Replica> expanded = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            expanded.add(new Replica(url, IpLiterals.text(address))); // RFC 5952: ::1, scope id dropped
        }
        return expanded;
    }

    /** A well-mixed non-negative start position from the node id (MurmurHash3's 32-bit finaliser). */
    static int spread(String nodeId) {
        int h = nodeId.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & Integer.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "ControlPlaneReplicas" + urls;
    }
}
