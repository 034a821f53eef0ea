package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IP-to-country table held in a few primitive arrays, built once from a file and then only read.
 *
 * <p>Each address family is stored as sorted <em>segment starts</em>: segment {@code i} covers every
 * address from {@code start[i]} up to {@code start[i + 1] - 1} and carries one country index (index 0
 * is "unknown"). Gaps between the file's ranges become unknown segments and neighbouring segments of
 * the same country are merged, so a lookup is one binary search over an int array (IPv4) or over
 * interleaved hi/lo longs (IPv6) and returns a shared {@code String}: nothing is allocated per lookup.
 *
 * <p>Immutable and thread-safe once built. Build it with {@link #builder(String)}.
 */
public final class RangeCountryDatabase implements CountryDatabase {

    /** What {@link CountryDatabase} answers for an address no range covers. */
    public static final String UNKNOWN = "XX";

    static final short UNKNOWN_INDEX = 0;

    private final String source;
    /** IPv4 segment starts, stored with the sign bit flipped so that signed order is unsigned order. */
    private final int[] ipv4Starts;
    private final short[] ipv4Countries;
    /** IPv6 segment starts as (hi, lo) pairs: element 2i is the high 64 bits, 2i + 1 the low ones. */
    private final long[] ipv6Starts;
    private final short[] ipv6Countries;
    private final String[] codes;
    private final int ipv4Ranges;
    private final int ipv6Ranges;

    RangeCountryDatabase(CountryRangeBuilder builder) {
        this.source = builder.source;
        this.ipv4Starts = Arrays.copyOf(builder.ipv4Starts, builder.ipv4Segments);
        this.ipv4Countries = Arrays.copyOf(builder.ipv4Countries, builder.ipv4Segments);
        this.ipv6Starts = Arrays.copyOf(builder.ipv6Starts, builder.ipv6Segments * 2);
        this.ipv6Countries = Arrays.copyOf(builder.ipv6Countries, builder.ipv6Segments);
        this.codes = builder.codes.toArray(String[]::new);
        this.ipv4Ranges = builder.ipv4Ranges;
        this.ipv6Ranges = builder.ipv6Ranges;
    }

    /** A table with no ranges: every address is {@value #UNKNOWN}. */
    public static RangeCountryDatabase empty(String source) {
        return builder(source).build();
    }

    /** @param source names where the ranges come from, for {@link #toString()} and error messages */
    public static CountryRangeBuilder builder(String source) {
        return new CountryRangeBuilder(source);
    }

    @Override
    public String countryOf(InetAddress address) {
        return countryOf(address.getAddress());
    }

    /**
     * Same as {@link #countryOf(InetAddress)} for a raw 4- or 16-byte address (an IPv4-mapped IPv6
     * address {@code ::ffff:a.b.c.d} is looked up as IPv4, as {@link InetAddress} would treat it).
     * Any other length is unknown.
     */
    public String countryOf(byte[] address) {
        if (address.length == 4) {
            return countryOfIpv4(readInt(address, 0));
        }
        if (address.length != 16) {
            return UNKNOWN;
        }
        long hi = readLong(address, 0);
        long lo = readLong(address, 8);
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return countryOfIpv4((int) lo);
        }
        return countryOfIpv6(hi, lo);
    }

    /** @param address the IPv4 address as an int in network order (1.2.3.4 is {@code 0x01020304}) */
    public String countryOfIpv4(int address) {
        int key = address ^ Integer.MIN_VALUE;
        int index = Arrays.binarySearch(ipv4Starts, key);
        int segment = index >= 0 ? index : -index - 2;
        return segment < 0 ? UNKNOWN : codes[ipv4Countries[segment]];
    }

    /** @param hi the first 8 bytes of the address, {@code lo} the last 8, both in network order */
    public String countryOfIpv6(long hi, long lo) {
        int low = 0;
        int high = ipv6Countries.length - 1;
        int segment = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = compare(ipv6Starts[2 * mid], ipv6Starts[2 * mid + 1], hi, lo);
            if (order <= 0) {
                segment = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return segment < 0 ? UNKNOWN : codes[ipv6Countries[segment]];
    }

    /** Ranges with a country as read from the source (before merging neighbours), IPv4. */
    public int ipv4Ranges() {
        return ipv4Ranges;
    }

    /** Ranges with a country as read from the source (before merging neighbours), IPv6. */
    public int ipv6Ranges() {
        return ipv6Ranges;
    }

    /** Segments held after merging and gap filling, IPv4. */
    public int ipv4Segments() {
        return ipv4Countries.length;
    }

    /** Segments held after merging and gap filling, IPv6. */
    public int ipv6Segments() {
        return ipv6Countries.length;
    }

    /** Distinct country codes, not counting {@value #UNKNOWN}. */
    public int countries() {
        return codes.length - 1;
    }

    /**
     * Bytes held by the lookup arrays (element bytes plus the 16-byte header of each array), not
     * counting the few hundred shared two-letter code strings.
     */
    public long footprintBytes() {
        return arrayBytes(ipv4Starts.length, Integer.BYTES)
                + arrayBytes(ipv4Countries.length, Short.BYTES)
                + arrayBytes(ipv6Starts.length, Long.BYTES)
                + arrayBytes(ipv6Countries.length, Short.BYTES)
                + arrayBytes(codes.length, Integer.BYTES);
    }

    @Override
    public String toString() {
        return "RangeCountryDatabase[" + source + ": " + ipv4Ranges + " IPv4 ranges, " + ipv6Ranges
                + " IPv6 ranges, " + countries() + " countries, " + footprintBytes() + " bytes]";
    }

    private static long arrayBytes(int length, int elementBytes) {
        return 16L + (long) length * elementBytes;
    }

    static int compare(long hiA, long loA, long hiB, long loB) {
        int order = Long.compareUnsigned(hiA, hiB);
        return order != 0 ? order : Long.compareUnsigned(loA, loB);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    static long readLong(byte[] bytes, int offset) {
        return (long) readInt(bytes, offset) << 32 | (readInt(bytes, offset + 4) & 0xFFFFFFFFL);
    }
}
