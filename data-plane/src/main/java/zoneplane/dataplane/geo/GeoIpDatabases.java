package zoneplane.dataplane.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the node's {@link CountryDatabase} from a list of files: {@code ZONEPLANE_GEOIP_FILES}
 * (comma-separated), by default the two files of Debian's {@code tor-geoipdb} package. A path ending in
 * {@code .mmdb} is read as a MaxMind DB, any other as Tor's geoip text format. Files are consulted in
 * list order and the first one that knows an address answers, so a preferred {@code .mmdb} goes first.
 *
 * <p>Files that do not exist are skipped with a warning; when none exists the result answers
 * {@code XX} for everyone and its warning says how to install {@code tor-geoipdb}: a node without a
 * database must still serve. A file that exists but cannot be parsed is a configuration error and
 * throws {@link GeoFileException}: serving wrong countries silently would be worse than not starting.
 */
public final class GeoIpDatabases {

    public static final String FILES_VARIABLE = "ZONEPLANE_GEOIP_FILES";
    public static final List<Path> DEBIAN_FILES = List.of(Path.of("/usr/share/tor/geoip"), Path.of("/usr/share/tor/geoip6"));

    private GeoIpDatabases() {}

    /** Loads the files named by {@value #FILES_VARIABLE} in {@code environment}, or {@link #DEBIAN_FILES}. */
    public static LoadedCountryDatabase fromEnvironment(Map<String, String> environment) {
        return load(paths(environment.get(FILES_VARIABLE)));
    }

    /** The paths in a comma-separated list; {@link #DEBIAN_FILES} when it is null or blank. */
    public static List<Path> paths(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return DEBIAN_FILES;
        }
        return Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(path -> !path.isEmpty())
                .map(Path::of)
                .toList();
    }

    /**
     * @throws GeoFileException when an existing file is malformed
     * @throws java.io.UncheckedIOException when an existing file cannot be read
     */
    public static LoadedCountryDatabase load(List<Path> files) {
        List<Path> existing = files.stream().filter(Files::isRegularFile).toList();
        List<Path> missing = files.stream().filter(file -> !Files.isRegularFile(file)).toList();
        // Parsed in parallel: Debian's two files take about a second each while the JVM is cold, and
        // the node is not ready until they are loaded. The result keeps the list's order.
        List<RangeCountryDatabase> tables = existing.parallelStream()
                .map(file -> isMmdb(file) ? MmdbCountryFile.load(file) : TorGeoipFile.load(file))
                .toList();
        if (tables.isEmpty()) {
            return new LoadedCountryDatabase(RangeCountryDatabase.empty("no geolocation file"), List.of(),
                    List.of(noDatabaseWarning(files)));
        }
        List<String> warnings = missing.stream()
                .map(file -> "Geolocation file " + file + " does not exist; using " + tables + " only.")
                .toList();
        CountryDatabase database = tables.size() == 1 ? tables.get(0) : new FirstKnownCountry(tables);
        return new LoadedCountryDatabase(database, tables, warnings);
    }

    static boolean isMmdb(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(MmdbCountryFile.SUFFIX);
    }

    private static String noDatabaseWarning(List<Path> files) {
        return "No IP geolocation file found (looked for " + files + "): CF-IPCountry will be XX for every"
                + " visitor. Install Debian's tor-geoipdb package (apt-get install tor-geoipdb) for"
                + " /usr/share/tor/geoip and geoip6, or set " + FILES_VARIABLE + " to Tor geoip text files"
                + " or a MaxMind .mmdb file (comma-separated).";
    }
}
