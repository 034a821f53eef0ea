package zoneplane.controlplane.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every {@code *Groups} dataset does with its rows: keep those the filter matches, group them
 * by the selected dimensions (plus any the {@code orderBy} names), aggregate each group, order by
 * {@code orderBy} ({@code datetime_ASC}, {@code sum_requests_DESC}, {@code count_DESC},
 * {@code max_concurrentConnections_DESC}, …) then by the dimensions, and cut at {@code limit}.
 * A group renders as the map GraphQL reads ({@code dimensions}, {@code sum}, …).
 *
 * @param <R> a row as read from the database
 * @param <A> one group's running aggregate
 */
final class Grouping<R, A> {

    private final Function<R, Map<String, Object>> dimensions;
    private final Supplier<A> aggregate;
    private final BiConsumer<A, R> add;
    private final Function<A, Map<String, Object>> render;

    Grouping(Function<R, Map<String, Object>> dimensions, Supplier<A> aggregate, BiConsumer<A, R> add,
            Function<A, Map<String, Object>> render) {
        this.dimensions = dimensions;
        this.aggregate = aggregate;
        this.add = add;
        this.render = render;
    }

    List<Map<String, Object>> apply(Iterable<R> rows, Predicate<Map<String, Object>> filter, List<String> selected,
            List<String> orderBy, int limit) {
        List<String> groupBy = groupBy(selected, orderBy);
        Map<List<Object>, A> groups = new LinkedHashMap<>();
        Map<List<Object>, Map<String, Object>> keys = new LinkedHashMap<>();
        for (R row : rows) {
            Map<String, Object> dims = dimensions.apply(row);
            if (!filter.test(dims)) {
                continue;
            }
            List<Object> key = new ArrayList<>(groupBy.size());
            Map<String, Object> shown = new LinkedHashMap<>();
            for (String d : groupBy) {
                Object v = dims.get(d);
                key.add(v);
                shown.put(d, v);
            }
            keys.putIfAbsent(key, shown);
            add.accept(groups.computeIfAbsent(key, k -> aggregate.get()), row);
        }
        List<Map<String, Object>> out = new ArrayList<>(groups.size());
        groups.forEach((key, agg) -> {
            Map<String, Object> group = new LinkedHashMap<>(render.apply(agg));
            group.put("dimensions", keys.get(key));
            out.add(group);
        });
        out.sort(order(orderBy, groupBy));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** The dimensions groups are keyed by: the selected ones and any dimension {@code orderBy} names. */
    static List<String> groupBy(List<String> selected, List<String> orderBy) {
        List<String> groupBy = new ArrayList<>(selected);
        for (String order : orderBy) {
            String field = order.substring(0, order.lastIndexOf('_'));
            if (!field.contains("_") && !field.equals("count") && !groupBy.contains(field)) {
                groupBy.add(field);
            }
        }
        return groupBy;
    }

    private static Comparator<Map<String, Object>> order(List<String> orderBy, List<String> groupBy) {
        Comparator<Map<String, Object>> order = (a, b) -> 0;
        for (String o : orderBy) {
            boolean descending = o.endsWith("_DESC");
            String field = o.substring(0, o.lastIndexOf('_'));
            List<String> path = path(field);
            Comparator<Map<String, Object>> by = Comparator.comparing(g -> value(g, path), Grouping::compare);
            order = order.thenComparing(descending ? by.reversed() : by);
        }
        for (String d : groupBy) {
            List<String> path = List.of("dimensions", d);
            order = order.thenComparing(Comparator.comparing(g -> value(g, path), Grouping::compare));
        }
        return order;
    }

    /** {@code sum_requests} → sum.requests, {@code count} → count, {@code datetime} → dimensions.datetime. */
    private static List<String> path(String field) {
        int underscore = field.indexOf('_');
        if (field.equals("count")) {
            return List.of("count");
        }
        return underscore < 0 ? List.of("dimensions", field) : List.of(field.substring(0, underscore), field.substring(underscore + 1));
    }

    @SuppressWarnings("unchecked")
    private static Object value(Map<String, Object> group, List<String> path) {
        Object v = group;
        for (String p : path) {
            v = v instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(p) : null;
        }
        return v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return ((Comparable) a).compareTo(b);
    }
}
