package zoneplane.dataplane.geo;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects ranges in ascending order. Ranges must be sorted by start and must not overlap:
 * machine-generated files (Tor's geoip-db-tool, an .mmdb search tree) always are, so disorder
 * means a damaged or wrong file, and refusing it beats answering wrong countries. Each {@code add}
 * throws {@link IllegalArgumentException} with a message saying what is wrong with that range;
 * callers add where it came from.
 *
 * <p>Not thread-safe; use one builder per load.
 */
public final class CountryRangeBuilder {

    final String source;
    final List<String> codes = new ArrayList<>(List.of(RangeCountryDatabase.UNKNOWN));
    private final Map<String, Short> codeIndex = new HashMap<>();

    int[] ipv4Starts = new int[1024];
    short[] ipv4Countries = new short[1024];
    int ipv4Segments;
    int ipv4Ranges;
    /** End of the last IPv4 range added, -1 before the first. */
    private long ipv4End = -1;

    long[] ipv6Starts = new long[2048];
    short[] ipv6Countries = new short[1024];
    int ipv6Segments;
    int ipv6Ranges;
    private boolean ipv6Any;
    private long ipv6EndHi;
    private long ipv6EndLo;

    CountryRangeBuilder(String source) {
        this.source = source;
    }

    /**
     * Adds {@code low..high} (inclusive, unsigned 32-bit values) for {@code country}; a country of
     * {@code "??"} or {@value RangeCountryDatabase#UNKNOWN} marks the range unknown.
     */
    public CountryRangeBuilder addIpv4(long low, long high, String country) {
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
            appendIpv4(ipv4End + 1, RangeCountryDatabase.UNKNOWN_INDEX);
        }
        appendIpv4(low, index);
        ipv4End = high;
        if (index != RangeCountryDatabase.UNKNOWN_INDEX) {
            ipv4Ranges++;
        }
        return this;
    }

    /** Adds {@code low..high} (inclusive), each address given as its high and low 64 bits. */
    public CountryRangeBuilder addIpv6(long lowHi, long lowLo, long highHi, long highLo, String country) {
        if (RangeCountryDatabase.compare(lowHi, lowLo, highHi, highLo) > 0) {
            throw new IllegalArgumentException("IPv6 range start " + ipv6(lowHi, lowLo)
                    + " is after its end " + ipv6(highHi, highLo));
        }
        if (ipv6Any && RangeCountryDatabase.compare(lowHi, lowLo, ipv6EndHi, ipv6EndLo) <= 0) {
            throw new IllegalArgumentException("IPv6 range " + ipv6(lowHi, lowLo) + "-" + ipv6(highHi, highLo)
                    + " starts at or before the end of the previous range (" + ipv6(ipv6EndHi, ipv6EndLo)
                    + "); ranges must be sorted ascending and must not overlap");
        }
        short index = indexOf(country);
        long nextHi = ipv6Any ? (ipv6EndLo == -1L ? ipv6EndHi + 1 : ipv6EndHi) : 0;
        long nextLo = ipv6Any ? ipv6EndLo + 1 : 0;
        if (RangeCountryDatabase.compare(lowHi, lowLo, nextHi, nextLo) > 0) {
            appendIpv6(nextHi, nextLo, RangeCountryDatabase.UNKNOWN_INDEX);
        }
        appendIpv6(lowHi, lowLo, index);
        ipv6Any = true;
        ipv6EndHi = highHi;
        ipv6EndLo = highLo;
        if (index != RangeCountryDatabase.UNKNOWN_INDEX) {
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
            appendIpv4(ipv4End + 1, RangeCountryDatabase.UNKNOWN_INDEX);
        }
    }

    private void closeIpv6() {
        if (ipv6Any && !(ipv6EndHi == -1L && ipv6EndLo == -1L)) {
            appendIpv6(ipv6EndLo == -1L ? ipv6EndHi + 1 : ipv6EndHi, ipv6EndLo + 1, RangeCountryDatabase.UNKNOWN_INDEX);
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
        if (code.equals(RangeCountryDatabase.UNKNOWN)) {
            return RangeCountryDatabase.UNKNOWN_INDEX;
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
