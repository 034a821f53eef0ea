package zoneplane.dataplane.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import zoneplane.dataplane.visitor.IpLiterals;

/**
 * Parses a Tor exit list. Accepted lines: one IPv4 or IPv6 address; {@code ExitAddress <ip> <date>
 * <time>} from Tor's exit-addresses format, whose other lines ({@code ExitNode}, {@code Published},
 * {@code LastStatus}) are ignored; blank lines; {@code #} comments, whole-line or after an address.
 * Anything else fails the whole file with a {@link GeoFileException} naming the line.
 */
public final class TorExitListFile {

    private TorExitListFile() {}

    /** @return the addresses, as an immutable set */
    public static Set<InetAddress> parse(Path file) {
        Set<InetAddress> addresses = new HashSet<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String address = addressOn(line, file, lineNumber);
                if (address != null) {
                    addresses.add(toInetAddress(address, file, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Set.copyOf(addresses);
    }

    /** The address literal a line carries, or null for a line without one. */
    private static String addressOn(String line, Path file, long lineNumber) {
        int comment = line.indexOf('#');
        String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (content.isEmpty()) {
            return null;
        }
        String[] tokens = content.split("\\s+");
        switch (tokens[0]) {
            case "ExitAddress":
                if (tokens.length < 2) {
                    throw new GeoFileException(file, lineNumber, "ExitAddress line without an address");
                }
                return tokens[1];
            case "ExitNode":
            case "Published":
            case "LastStatus":
                return null;
            default:
                if (tokens.length != 1) {
                    throw new GeoFileException(file, lineNumber,
                            "expected one IP address or an 'ExitAddress <ip> <date> <time>' line, found '" + content + "'");
                }
                return tokens[0];
        }
    }

    private static InetAddress toInetAddress(String literal, Path file, long lineNumber) {
        try {
            return InetAddress.getByAddress(IpLiterals.bytes(literal));
        } catch (IllegalArgumentException e) {
            throw new GeoFileException(file, lineNumber, e.getMessage());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address was refused", e);
        }
    }
}
