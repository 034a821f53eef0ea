package zoneplane.dataplane.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.Network;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a MaxMind DB ({@code .mmdb}) file, such as GeoLite2-Country or DB-IP's country database, with
 * MaxMind's reader and copies every network into a {@link RangeCountryDatabase}. The file is read once
 * and closed: lookups then cost the same binary search as the Tor files and allocate nothing, instead
 * of decoding the file's records on every request.
 *
 * <p>A network's country is its record's {@code country.iso_code} (MaxMind and DB-IP schema), else
 * {@code registered_country.iso_code}, else a top-level {@code country_code} string (the flat schema
 * some other publishers use); networks with none of them stay unknown. IPv4 networks of an IPv6 tree
 * (its {@code ::/96} subtree) become IPv4 ranges; the tree's aliases of that subtree (IPv4-mapped,
 * 6to4, Teredo) are not copied, so such IPv6 addresses answer {@code XX} here.
 */
public final class MmdbCountryFile {

    /** File-name suffix by which {@link GeoIpDatabases} recognises this format. */
    public static final String SUFFIX = ".mmdb";

    private MmdbCountryFile() {}

    /**
     * @throws GeoFileException when the file is not a valid MaxMind DB or a record has an invalid code
     * @throws UncheckedIOException when the file cannot be read
     */
    public static RangeCountryDatabase load(Path file) {
        CountryRangeBuilder builder = RangeCountryDatabase.builder(file.toString());
        // The cache decodes each distinct record once: a country database has a few hundred of them
        // shared by hundreds of thousands of networks.
        try (Reader reader = new Reader(file.toFile(), new CHMCache())) {
            Networks<Map> networks = reader.networks(false, Map.class);
            while (networks.hasNext()) {
                add(builder, networks.next(), file);
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IOException | InvalidNetworkException | RuntimeException e) {
            if (e instanceof GeoFileException) {
                throw (GeoFileException) e;
            }
            throw new GeoFileException(file, "is not a valid MaxMind DB (.mmdb) file: " + e.getMessage(), e);
        }
        return builder.build();
    }

    private static void add(CountryRangeBuilder builder, DatabaseRecord<Map> record, Path file) {
        String country = countryOf(record.data());
        if (country == null) {
            return;
        }
        Network network = record.network();
        byte[] address = network.networkAddress().getAddress();
        try {
            if (network.networkAddress() instanceof Inet4Address) {
                int prefix = Math.max(0, network.prefixLength());
                long low = readUnsignedInt(address);
                long hostBits = prefix == 0 ? 0xFFFFFFFFL : (1L << (32 - prefix)) - 1;
                builder.addIpv4(low, low | hostBits, country);
            } else {
                addIpv6(builder, address, network.prefixLength(), country);
            }
        } catch (IllegalArgumentException e) {
            throw new GeoFileException(file, "network " + network + ": " + e.getMessage(), e);
        }
    }

    private static void addIpv6(CountryRangeBuilder builder, byte[] address, int prefix, String country) {
        long hi = RangeCountryDatabase.readLong(address, 0);
        long lo = RangeCountryDatabase.readLong(address, 8);
        long hiHost = prefix >= 64 ? 0 : (prefix == 0 ? -1L : -1L >>> prefix);
        long loHost = prefix >= 128 ? 0 : (prefix <= 64 ? -1L : -1L >>> (prefix - 64));
        builder.addIpv6(hi, lo, hi | hiHost, lo | loHost, country);
    }

    /** The record's country code, or null when it names none. */
    private static String countryOf(Map<?, ?> data) {
        if (data == null) {
            return null;
        }
        String code = isoCode(data.get("country"));
        if (code == null) {
            code = isoCode(data.get("registered_country"));
        }
        if (code == null && data.get("country_code") instanceof String) {
            code = (String) data.get("country_code");
        }
        return code;
    }

    private static String isoCode(Object entry) {
        if (entry instanceof Map) {
            Object code = ((Map<?, ?>) entry).get("iso_code");
            return code instanceof String ? (String) code : null;
        }
        return null;
    }

    private static long readUnsignedInt(byte[] address) {
        return (address[0] & 0xFFL) << 24 | (address[1] & 0xFFL) << 16 | (address[2] & 0xFFL) << 8 | (address[3] & 0xFFL);
    }
}
