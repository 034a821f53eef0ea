package zoneplane.dataplane.origin;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed origins by their URL text, so a request does not parse its zone's origin again. Bounded:
 * past {@link #MAX_ENTRIES} different origins (a view of many zones with many origins) it starts over,
 * which costs a re-parse per origin, never correctness.
 */
final class OriginAddresses {

    static final int MAX_ENTRIES = 200_000;

    private final ConcurrentHashMap<String, OriginAddress> parsed = new ConcurrentHashMap<>();

    OriginAddress of(String origin) {
        OriginAddress address = parsed.get(origin);
        if (address == null) {
            address = OriginAddress.parse(origin);
            if (parsed.size() >= MAX_ENTRIES) {
                parsed.clear();
            }
            parsed.put(origin, address);
        }
        return address;
    }
}
