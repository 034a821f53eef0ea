package zoneplane.helm;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PromQL expression of a dashboard panel or an alert rule, and the metric names it selects.
 *
 * <p>What is not a metric name is taken away first: string literals and label matchers
 * ({@code {...}}), range and subquery brackets ({@code [...]}, where Grafana's
 * {@code $__rate_interval} lives), and the label lists of {@code by}, {@code without}, {@code on},
 * {@code ignoring} and {@code group_left/right}. Of the identifiers left, those followed by
 * {@code (} are functions or aggregations, and a few are PromQL keywords; the rest are metric names.
 */
record PromQlExpression(String text) {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS =
            Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left",
                    "group_right", "inf", "nan");

    Set<String> metricNames() {
        String rest = STRING.matcher(text).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = LABEL_LISTS.matcher(rest).replaceAll(" ");
        // Durations after offset (1h) and numbers (0.99, 1e3) start with a digit: IDENTIFIER skips them.
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String word = identifier.group(1);
            boolean call = identifier.group(2) != null;
            if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
