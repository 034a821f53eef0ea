package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private static final short UNKNOWN_INDEX = 0;

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

    private RangeCountryDatabase(Builder builder) {
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
    public static Builder builder(String source) {
        return new Builder(source);
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

    private static int compare(long hiA, long loA, long hiB, long loB) {
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

    /**
     * Collects ranges in ascending order. Ranges must be sorted by start and must not overlap:
     * machine-generated files (Tor's geoip-db-tool, an .mmdb search tree) always are, so disorder
     * means a damaged or wrong file, and refusing it beats answering wrong countries. Each {@code add}
     * throws {@link IllegalArgumentException} with a message saying what is wrong with that range;
     * callers add where it came from.
     *
     * <p>Not thread-safe; use one builder per load.
     */
    public static final class Builder {

        private final String source;
        private final List<String> codes = new ArrayList<>(List.of(UNKNOWN));
        private final Map<String, Short> codeIndex = new HashMap<>();

        private int[] ipv4Starts = new int[1024];
        private short[] ipv4Countries = new short[1024];
        private int ipv4Segments;
        private int ipv4Ranges;
        /** End of the last IPv4 range added, -1 before the first. */
        private long ipv4End = -1;

        private long[] ipv6Starts = new long[2048];
        private short[] ipv6Countries = new short[1024];
        private int ipv6Segments;
        private int ipv6Ranges;
        private boolean ipv6Any;
        private long ipv6EndHi;
        private long ipv6EndLo;

        private Builder(String source) {
            this.source = source;
        }

        /**
         * Adds {@code low..high} (inclusive, unsigned 32-bit values) for {@code country}; a country of
         * {@code "??"} or {@value #UNKNOWN} marks the range unknown.
         */
        public Builder addIpv4(long low, long high, String country) {
            if (low < 0 || high > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("IPv4 range " + low + "-" + high + " is outside 0-4294967295");
            }
            if (low > high) {
                throw new IllegalArgumentException("IPv4 range start " + ipv4(low) + " is after its end " + ipv4(high));
            }
            if (low <= ipv4End) {
                throw new IllegalArgumentException("IPv4 range " + ipv4(low) + "-" + ipv4(high)
                        + " starts at or before the end of the previous range (" + ipv4(ipv4End)
                        + "); ranges must be sorted ascending and must not overlap");
            }
            short index = indexOf(country);
            if (low > ipv4End + 1) {
                appendIpv4(ipv4End + 1, UNKNOWN_INDEX);
            }
            appendIpv4(low, index);
            ipv4End = high;
            if (index != UNKNOWN_INDEX) {
                ipv4Ranges++;
            }
            return this;
        }

        /** Adds {@code low..high} (inclusive), each address given as its high and low 64 bits. */
        public Builder addIpv6(long lowHi, long lowLo, long highHi, long highLo, String country) {
            if (compare(lowHi, lowLo, highHi, highLo) > 0) {
                throw new IllegalArgumentException("IPv6 range start " + ipv6(lowHi, lowLo)
                        + " is after its end " + ipv6(highHi, highLo));
            }
            if (ipv6Any && compare(lowHi, lowLo, ipv6EndHi, ipv6EndLo) <= 0) {
                throw new IllegalArgumentException("IPv6 range " + ipv6(lowHi, lowLo) + "-" + ipv6(highHi, highLo)
                        + " starts at or before the end of the previous range (" + ipv6(ipv6EndHi, ipv6EndLo)
                        + "); ranges must be sorted ascending and must not overlap");
            }
            short index = indexOf(country);
            long nextHi = ipv6Any ? (ipv6EndLo == -1L ? ipv6EndHi + 1 : ipv6EndHi) : 0;
            long nextLo = ipv6Any ? ipv6EndLo + 1 : 0;
            if (compare(lowHi, lowLo, nextHi, nextLo) > 0) {
                appendIpv6(nextHi, nextLo, UNKNOWN_INDEX);
            }
            appendIpv6(lowHi, lowLo, index);
            ipv6Any = true;
            ipv6EndHi = highHi;
            ipv6EndLo = highLo;
            if (index != UNKNOWN_INDEX) {
                ipv6Ranges++;
            }
            return this;
        }

        public RangeCountryDatabase build() {
            closeIpv4();
            closeIpv6();
            return new RangeCountryDatabase(this);
        }

        /** Everything after the last range is unknown: end with an unknown segment unless it reached the top. */
        private void closeIpv4() {
            if (ipv4End >= 0 && ipv4End < 0xFFFFFFFFL) {
                appendIpv4(ipv4End + 1, UNKNOWN_INDEX);
            }
        }

        private void closeIpv6() {
            if (ipv6Any && !(ipv6EndHi == -1L && ipv6EndLo == -1L)) {
                appendIpv6(ipv6EndLo == -1L ? ipv6EndHi + 1 : ipv6EndHi, ipv6EndLo + 1, UNKNOWN_INDEX);
            }
        }

        private void appendIpv4(long start, short country) {
            if (ipv4Segments > 0 && ipv4Countries[ipv4Segments - 1] == country) {
                return; // contiguous with a segment of the same country: it simply extends
            }
            if (ipv4Segments == ipv4Countries.length) {
                ipv4Starts = Arrays.copyOf(ipv4Starts, ipv4Segments * 2);
                ipv4Countries = Arrays.copyOf(ipv4Countries, ipv4Segments * 2);
            }
            ipv4Starts[ipv4Segments] = (int) start ^ Integer.MIN_VALUE;
            ipv4Countries[ipv4Segments++] = country;
        }

        private void appendIpv6(long hi, long lo, short country) {
            if (ipv6Segments > 0 && ipv6Countries[ipv6Segments - 1] == country) {
                return;
            }
            if (ipv6Segments == ipv6Countries.length) {
                ipv6Starts = Arrays.copyOf(ipv6Starts, ipv6Segments * 4);
                ipv6Countries = Arrays.copyOf(ipv6Countries, ipv6Segments * 2);
            }
            ipv6Starts[2 * ipv6Segments] = hi;
            ipv6Starts[2 * ipv6Segments + 1] = lo;
            ipv6Countries[ipv6Segments++] = country;
        }

        private short indexOf(String country) {
            String code = CountryCodes.normalise(country);
            if (code.equals(UNKNOWN)) {
                return UNKNOWN_INDEX;
            }
            Short known = codeIndex.get(code);
            if (known != null) {
                return known;
            }
            short index = (short) codes.size();
            codes.add(code);
            codeIndex.put(code, index);
            return index;
        }

        /** Only for error messages: formats the address, never resolves it. */
        private static String ipv6(long hi, long lo) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (hi >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are always an address", e);
            }
        }

        private static String ipv4(long value) {
            return (value >>> 24) + "." + (value >>> 16 & 0xFF) + "." + (value >>> 8 & 0xFF) + "." + (value & 0xFF);
        }
    }
}
