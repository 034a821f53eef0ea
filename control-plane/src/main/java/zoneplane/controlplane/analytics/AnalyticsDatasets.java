package zoneplane.controlplane.analytics;

import graphql.schema.DataFetcher;
import graphql.schema.SelectedField;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.analytics.AnalyticsStore.HttpRow;
import zoneplane.controlplane.analytics.AnalyticsStore.ZoneRow;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.Permission;

/**
 * The data fetchers of the GraphQL schema ({@code graphql/analytics.graphqls}): {@code viewer.zones}
 * applies tenancy (a zone the token may not read is absent, exactly like one that does not exist),
 * and one fetcher per {@link Dataset} reads its rows, checks limit, time range and retention, and
 * groups them with {@link Grouping}. Values are returned as maps the default property fetcher reads.
 */
@Component
class AnalyticsDatasets {

    /** Where the GraphQL context holds the request's {@link Caller}. */
    static final String CALLER = Caller.class.getName();

    private final AnalyticsStore store;
    private final AnalyticsPartitions partitions;
    private final Clock clock = Clock.systemUTC();

    AnalyticsDatasets(AnalyticsStore store, AnalyticsPartitions partitions) {
        this.store = store;
        this.partitions = partitions;
    }

    DataFetcher<Object> viewer() {
        return env -> Map.of();
    }

    /** {@code zones(filter: {zoneTag | zoneTag_in})}: the named zones the caller may read, in the order named. */
    DataFetcher<List<Map<String, Object>>> zones() {
        return env -> {
            Caller caller = env.getGraphQlContext().get(CALLER);
            if (caller == null || !caller.has(Permission.ANALYTICS_READ)) {
                throw new AnalyticsQueryException(AnalyticsQueryException.FORBIDDEN,
                        "not authorized: the token lacks the " + Permission.ANALYTICS_READ.wire() + " permission");
            }
            Set<String> tags = new LinkedHashSet<>();
            collectZoneTags(env.getArgument("filter"), tags);
            if (tags.isEmpty()) {
                throw AnalyticsQueryException.badRequest("zones needs a filter with zoneTag or zoneTag_in");
            }
            if (tags.size() > 1000) {
                throw AnalyticsQueryException.badRequest("zones: at most 1000 zoneTags per query");
            }
            Map<String, String> accounts = store.accountsOf(tags);
            List<Map<String, Object>> zones = new ArrayList<>();
            for (String tag : tags) {
                String account = accounts.get(tag);
                if (account != null && caller.canSeeZone(account, tag)) {
                    zones.add(Map.of("zoneTag", tag));
                }
            }
            return zones;
        };
    }

    @SuppressWarnings("unchecked")
    private static void collectZoneTags(Object filter, Set<String> tags) {
        if (!(filter instanceof Map<?, ?> map)) {
            return;
        }
        Object tag = map.get("zoneTag");
        if (tag != null) {
            tags.add(tag.toString());
        }
        Object in = map.get("zoneTag_in");
        if (in instanceof Collection<?> list) {
            list.forEach(t -> tags.add(t.toString()));
        }
        Object and = map.get("AND");
        if (and instanceof Collection<?> list) {
            list.forEach(sub -> collectZoneTags(sub, tags));
        }
    }

    DataFetcher<List<Map<String, Object>>> dataset(Dataset dataset) {
        return env -> {
            Map<String, Object> zone = env.getSource();
            String zoneId = (String) zone.get("zoneTag");
            int limit = limit(env.getArgument("limit"));
            DatasetFilter filter = new DatasetFilter(env.getArgument("filter"));
            DatasetFilter.TimeRange range = checkedRange(dataset, filter);
            List<String> orderBy = env.getArgumentOrDefault("orderBy", List.<String>of()).stream().map(Object::toString).toList();
            List<String> selected = env.getSelectionSet().getFields("dimensions/*").stream().map(SelectedField::getName)
                    .distinct().toList();
            Predicate<Map<String, Object>> matches = filter.predicate();
            Resolution resolution = dataset.resolution();
            return switch (dataset.kind()) {
                case FIREWALL -> List.of();
                case HTTP_GROUPS -> {
                    SqlBucket bucket = SqlBucket.of(resolution, Grouping.groupBy(selected, orderBy), matches, range);
                    List<Object> rows = new ArrayList<>(
                            store.httpRows(resolution, zoneId, range.from(), range.to(), false, bucket.length()));
                    if (env.getSelectionSet().contains("uniq")) {
                        rows.addAll(store.zoneRows(resolution, zoneId, range.from(), range.to(), bucket.length()));
                    }
                    yield httpGroups(resolution).apply(rows, bucket.filter(), selected, orderBy, limit);
                }
                case ADAPTIVE -> adaptiveGroups().apply(
                        store.httpRows(resolution, zoneId, range.from(), range.to(), true, resolution.bucket()),
                        matches, selected, orderBy, limit);
                // the peak concurrency is the highest per-bucket sum over nodes: rows stay in stored buckets
                case WEBSOCKETS -> webSocketGroups(resolution).apply(
                        store.zoneRows(resolution, zoneId, range.from(), range.to(), resolution.bucket()),
                        matches, selected, orderBy, limit);
            };
        };
    }

    private static int limit(Object argument) {
        if (argument == null) {
            return Dataset.DEFAULT_LIMIT;
        }
        long limit = ((Number) argument).longValue();
        if (limit < 1 || limit > Dataset.MAX_LIMIT) {
            throw AnalyticsQueryException.badRequest("limit must be positive number and not greater than " + Dataset.MAX_LIMIT);
        }
        return (int) limit;
    }

    private DatasetFilter.TimeRange checkedRange(Dataset dataset, DatasetFilter filter) {
        DatasetFilter.TimeRange range = filter.range(dataset.resolution());
        Duration width = Duration.between(range.from(), range.to());
        if (width.compareTo(dataset.maxRange().plus(dataset.resolution().bucket())) > 0) {
            throw AnalyticsQueryException.badRequest("query time range is too large: " + dataset.field() + " allows at most "
                    + dataset.maxRange().toSeconds() + "s");
        }
        Duration retention = partitions.retention(dataset.resolution());
        if (range.to().isBefore(clock.instant().minus(retention))) {
            throw AnalyticsQueryException.badRequest("cannot request data older than " + retention.toSeconds() + "s");
        }
        return range;
    }

    /** The time dimensions of a bucket starting at {@code ts}, as the dataset of {@code resolution} offers them. */
    static Map<String, Object> timeDimensions(Instant ts, Resolution resolution) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put("date", LocalDate.ofInstant(ts, ZoneOffset.UTC));
        if (resolution == Resolution.DAY) {
            return dims;
        }
        dims.put("datetime", ts);
        dims.put("datetimeHour", ts.truncatedTo(ChronoUnit.HOURS));
        if (resolution == Resolution.MINUTE) {
            long minute = ts.getEpochSecond() / 60;
            dims.put("datetimeMinute", ts);
            dims.put("datetimeFiveMinutes", Instant.ofEpochSecond((minute - minute % 5) * 60));
            dims.put("datetimeFifteenMinutes", Instant.ofEpochSecond((minute - minute % 15) * 60));
        }
        return dims;
    }

    private static Instant ts(Object row) {
        return row instanceof HttpRow h ? h.ts() : ((ZoneRow) row).ts();
    }

    private static Grouping<Object, HttpAggregate> httpGroups(Resolution resolution) {
        return new Grouping<>(row -> timeDimensions(ts(row), resolution), HttpAggregate::new, HttpAggregate::add,
                HttpAggregate::render);
    }

    private static Grouping<HttpRow, long[]> adaptiveGroups() {
        return new Grouping<>(row -> {
            Map<String, Object> dims = timeDimensions(row.ts(), Resolution.MINUTE);
            dims.put("clientCountryName", row.country());
            dims.put("edgeResponseStatus", row.status());
            dims.put("clientRequestHTTPHost", row.host());
            dims.put("clientRequestHTTPProtocol", row.protocol());
            dims.put("coloCode", row.node());
            dims.put("edgeResponseContentTypeName", row.contentType());
            dims.put("clientSSLProtocol", row.sslProtocol());
            dims.put("requestSource", "eyeball");
            return dims;
        }, () -> new long[3], (sums, row) -> {
            sums[0] += row.requests();
            sums[1] += row.bytesToClient();
            sums[2] += row.bytesFromClient();
        }, sums -> Map.of("count", sums[0],
                "sum", Map.of("edgeResponseBytes", sums[1], "edgeRequestBytes", sums[2], "visits", 0L),
                "avg", Map.of("sampleInterval", 1.0)));
    }

    private static Grouping<ZoneRow, WebSocketAggregate> webSocketGroups(Resolution resolution) {
        return new Grouping<>(row -> timeDimensions(row.ts(), resolution), WebSocketAggregate::new, WebSocketAggregate::add,
                WebSocketAggregate::render);
    }
}
