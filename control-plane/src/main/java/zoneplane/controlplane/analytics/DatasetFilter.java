package zoneplane.controlplane.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A dataset's {@code filter} argument as Cloudflare defines it: {@code field} (equality),
 * {@code field_gt}, {@code _geq}, {@code _lt}, {@code _leq}, {@code _neq}, {@code _in},
 * {@code _notin}, and nested {@code AND} / {@code OR} lists, over a row's dimensions. Also derives
 * the time range to read from the conditions on time dimensions at the top level and under
 * {@code AND} (under {@code OR} they only filter): conservative bounds, the predicate decides exactly.
 */
final class DatasetFilter {

    private static final List<String> OPERATORS = List.of("_geq", "_gt", "_leq", "_lt", "_neq", "_notin", "_in");

    /** Granularity of each time dimension; {@code datetime} is the dataset's own resolution. */
    static Duration granularity(String dimension, Resolution resolution) {
        return switch (dimension) {
            case "datetime" -> resolution.bucket();
            case "datetimeMinute" -> Duration.ofMinutes(1);
            case "datetimeFiveMinutes" -> Duration.ofMinutes(5);
            case "datetimeFifteenMinutes" -> Duration.ofMinutes(15);
            case "datetimeHour" -> Duration.ofHours(1);
            case "date" -> Duration.ofDays(1);
            default -> null;
        };
    }

    private final Map<String, Object> filter;

    DatasetFilter(Map<String, Object> filter) {
        this.filter = filter == null ? Map.of() : filter;
    }

    Predicate<Map<String, Object>> predicate() {
        return predicate(filter);
    }

    /** {@code [from, to)} of the rows the filter can match at {@code resolution}; both bounds required. */
    TimeRange range(Resolution resolution) {
        Instant[] bounds = {null, null};
        collectBounds(filter, resolution, bounds);
        if (bounds[0] == null) {
            throw AnalyticsQueryException.badRequest("the filter needs a start time (datetime_geq, datetime_gt, date_geq, date, …)");
        }
        if (bounds[1] == null) {
            throw AnalyticsQueryException.badRequest("the filter needs an end time (datetime_lt, datetime_leq, date_leq, date, …)");
        }
        return new TimeRange(resolution.truncate(bounds[0]), bounds[1]);
    }

    record TimeRange(Instant from, Instant to) {}

    @SuppressWarnings("unchecked")
    private static void collectBounds(Map<String, Object> filter, Resolution resolution, Instant[] bounds) {
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (e.getKey().equals("AND")) {
                for (Object sub : (Collection<Object>) e.getValue()) {
                    collectBounds((Map<String, Object>) sub, resolution, bounds);
                }
                continue;
            }
            Condition c = Condition.of(e.getKey());
            Duration g = granularity(c.field, resolution);
            if (g == null || c.operator.equals("_neq") || c.operator.equals("_notin")) {
                continue;
            }
            List<Instant> values = new ArrayList<>();
            if (c.operator.equals("_in")) {
                for (Object v : (Collection<Object>) e.getValue()) {
                    values.add(instant(v, c.field));
                }
            } else {
                values.add(instant(e.getValue(), c.field));
            }
            if (values.isEmpty()) {
                continue;
            }
            Instant low = values.stream().min(Instant::compareTo).orElseThrow();
            Instant high = values.stream().max(Instant::compareTo).orElseThrow().plus(g);
            boolean lower = !c.operator.equals("_lt") && !c.operator.equals("_leq");
            boolean upper = !c.operator.equals("_gt") && !c.operator.equals("_geq");
            if (lower && (bounds[0] == null || low.isAfter(bounds[0]))) {
                bounds[0] = low;
            }
            if (upper && (bounds[1] == null || high.isBefore(bounds[1]))) {
                bounds[1] = high;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Predicate<Map<String, Object>> predicate(Map<String, Object> filter) {
        Predicate<Map<String, Object>> all = row -> true;
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            Object value = e.getValue();
            if (value == null) {
                continue;
            }
            Predicate<Map<String, Object>> next;
            if (e.getKey().equals("AND")) {
                next = ((Collection<Object>) value).stream().map(sub -> predicate((Map<String, Object>) sub))
                        .reduce(row -> true, Predicate::and);
            } else if (e.getKey().equals("OR")) {
                List<Predicate<Map<String, Object>>> any = ((Collection<Object>) value).stream()
                        .map(sub -> predicate((Map<String, Object>) sub)).toList();
                next = row -> any.isEmpty() || any.stream().anyMatch(p -> p.test(row));
            } else {
                next = condition(Condition.of(e.getKey()), value);
            }
            all = all.and(next);
        }
        return all;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Predicate<Map<String, Object>> condition(Condition c, Object value) {
        return row -> {
            if (!row.containsKey(c.field)) {
                return true; // a dimension this row kind does not carry (e.g. a host on a zone-level row)
            }
            Comparable actual = (Comparable) row.get(c.field);
            return switch (c.operator) {
                case "_in" -> ((Collection<Object>) value).stream().anyMatch(v -> actual.compareTo(coerce(v, actual, c.field)) == 0);
                case "_notin" -> ((Collection<Object>) value).stream().noneMatch(v -> actual.compareTo(coerce(v, actual, c.field)) == 0);
                default -> {
                    int cmp = actual.compareTo(coerce(value, actual, c.field));
                    yield switch (c.operator) {
                        case "_gt" -> cmp > 0;
                        case "_geq" -> cmp >= 0;
                        case "_lt" -> cmp < 0;
                        case "_leq" -> cmp <= 0;
                        case "_neq" -> cmp != 0;
                        default -> cmp == 0;
                    };
                }
            };
        };
    }

    /** {@code value} from the query as the type of {@code sample} (the row's value of the dimension). */
    static Object coerce(Object value, Object sample, String field) {
        if (sample instanceof Instant) {
            return instant(value, field);
        }
        if (sample instanceof LocalDate) {
            return date(value, field);
        }
        if (sample instanceof Long) {
            if (value instanceof Number n) {
                return n.longValue();
            }
            try {
                return Long.parseLong(value.toString());
            } catch (NumberFormatException e) {
                throw AnalyticsQueryException.badRequest(field + ": not a number: " + value);
            }
        }
        return Objects.toString(value);
    }

    static Instant instant(Object value, String field) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof LocalDate d) {
            return Resolution.startOf(d);
        }
        String text = value.toString();
        try {
            if (text.length() == 10) {
                return Resolution.startOf(LocalDate.parse(text));
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw AnalyticsQueryException.badRequest(field + ": not an RFC 3339 time: " + text);
        }
    }

    static LocalDate date(Object value, String field) {
        if (value instanceof LocalDate d) {
            return d;
        }
        String text = value.toString();
        try {
            return text.length() == 10 ? LocalDate.parse(text) : LocalDate.ofInstant(instant(text, field), java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw AnalyticsQueryException.badRequest(field + ": not a date (YYYY-MM-DD): " + text);
        }
    }

    /** One key of a filter: the dimension and the operator suffix ("" for equality). */
    private record Condition(String field, String operator) {
        static Condition of(String key) {
            for (String op : OPERATORS) {
                if (key.endsWith(op)) {
                    return new Condition(key.substring(0, key.length() - op.length()), op);
                }
            }
            return new Condition(key, "");
        }
    }
}
