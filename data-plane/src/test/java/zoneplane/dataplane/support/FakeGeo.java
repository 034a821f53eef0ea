package zoneplane.dataplane.support;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import zoneplane.dataplane.geo.CountryDatabase;
import zoneplane.dataplane.geo.TorExitNodes;

/** Small fakes of the geo interfaces (the real loaders are tested in {@code zoneplane.dataplane.geo}). */
public final class FakeGeo {

    private FakeGeo() {}

    /** Countries by address; unknown → XX. */
    public static final class Countries implements CountryDatabase {
        private final Map<InetAddress, String> byAddress = new ConcurrentHashMap<>();

        public Countries put(InetAddress address, String country) {
            byAddress.put(address, country);
            return this;
        }

        @Override
        public String countryOf(InetAddress address) {
            return byAddress.getOrDefault(address, "XX");
        }
    }

    /** A mutable exit list, so one test class can make the loopback visitor a Tor exit and back. */
    public static final class TorExits implements TorExitNodes {
        private final Set<InetAddress> exits = ConcurrentHashMap.newKeySet();

        public void add(InetAddress address) {
            exits.add(address);
        }

        public void clear() {
            exits.clear();
        }

        @Override
        public boolean isExit(InetAddress address) {
            return exits.contains(address);
        }
    }
}
