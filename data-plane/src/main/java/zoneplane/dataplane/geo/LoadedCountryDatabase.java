package zoneplane.dataplane.geo;

import java.util.List;

/**
 * What {@link GeoIpDatabases} built, and what the operator should be told about it once at start-up
 * (a missing file, no database at all). An empty warning list means nothing needs saying.
 *
 * @param database  the database to use; never null (answers {@code XX} for everything when no file was found)
 * @param tables    the tables it consults, in order, for reporting sizes; empty when no file was found
 * @param warnings  messages for the caller to log once, at WARN
 */
public record LoadedCountryDatabase(CountryDatabase database, List<RangeCountryDatabase> tables, List<String> warnings) {

    public LoadedCountryDatabase {
        tables = List.copyOf(tables);
        warnings = List.copyOf(warnings);
    }

    /** Bytes held by all tables' lookup arrays. */
    public long footprintBytes() {
        return tables.stream().mapToLong(RangeCountryDatabase::footprintBytes).sum();
    }
}
