package zoneplane.controlplane.database;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * PostgreSQL array literals for parameters bound as text and cast in SQL ({@code cast(:ids as text[])}):
 * one place that quotes, so no caller assembles {@code "{a,b}"} by hand.
 */
public final class SqlArrays {

    private SqlArrays() {}

    /** {@code {"a","b"}}: each value double-quoted, with {@code "} and {@code \} escaped. */
    public static String text(Collection<String> values) {
        return values.stream()
                .map(value -> '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(",", "{", "}"));
    }
}
