package zoneplane.dataplane.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import zoneplane.dataplane.visitor.IpLiterals;

/**
 * Reads the IP-to-country text files of Tor's geoip format, as Debian's {@code tor-geoipdb} ships them:
 * {@code /usr/share/tor/geoip} has lines {@code INTIPLOW,INTIPHIGH,CC} (IPv4 addresses as unsigned
 * 32-bit integers) and {@code /usr/share/tor/geoip6} has lines {@code IPV6LOW,IPV6HIGH,CC}. A file may
 * hold either kind of line or both; {@code #} starts a comment line and blank lines are skipped. The
 * code {@code ??} means unknown.
 *
 * <p>Ranges must be sorted ascending and must not overlap within each address family (see
 * {@link CountryRangeBuilder}); a malformed, unsorted or overlapping line fails the whole load
 * with a {@link GeoFileException} naming the file and line, so a damaged file never half-applies.
 */
public final class TorGeoipFile {

    private TorGeoipFile() {}

    /**
     * @throws GeoFileException when a line is malformed or out of order
     * @throws UncheckedIOException when the file cannot be read
     */
    public static RangeCountryDatabase load(Path file) {
        CountryRangeBuilder builder = RangeCountryDatabase.builder(file.toString());
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            long lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                addLine(builder, line.strip(), file, lineNumber);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return builder.build();
    }

    private static void addLine(CountryRangeBuilder builder, String line, Path file, long lineNumber) {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        String[] fields = line.split(",", -1);
        if (fields.length != 3) {
            throw new GeoFileException(file, lineNumber,
                    "expected LOW,HIGH,CC (3 comma-separated fields) but found " + fields.length + " field(s)");
        }
        try {
            String country = fields[2].strip();
            if (fields[0].indexOf(':') >= 0) {
                byte[] low = IpLiterals.ipv6Bytes(fields[0].strip());
                byte[] high = IpLiterals.ipv6Bytes(fields[1].strip());
                builder.addIpv6(RangeCountryDatabase.readLong(low, 0), RangeCountryDatabase.readLong(low, 8),
                        RangeCountryDatabase.readLong(high, 0), RangeCountryDatabase.readLong(high, 8), country);
            } else {
                builder.addIpv4(ipv4Integer(fields[0]), ipv4Integer(fields[1]), country);
            }
        } catch (IllegalArgumentException e) {
            throw new GeoFileException(file, lineNumber, "'" + line + "': " + e.getMessage());
        }
    }

    /** Hand-rolled rather than a regex or stream: this runs 400k times while the JVM is still cold. */
    private static long ipv4Integer(String field) {
        String digits = field.strip();
        if (digits.isEmpty() || digits.length() > 10) {
            throw notAnIpv4Integer(field);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw notAnIpv4Integer(field);
            }
            value = value * 10 + (c - '0');
        }
        if (value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("'" + field + "' is larger than 4294967295");
        }
        return value;
    }

    private static IllegalArgumentException notAnIpv4Integer(String field) {
        return new IllegalArgumentException("'" + field + "' is not an IPv4 address as an integer 0-4294967295");
    }
}
