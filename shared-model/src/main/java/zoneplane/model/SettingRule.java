package zoneplane.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The data behind one catalogue entry: every value the setting can take (canonical instances), the
 * default per plan, the values each plan may choose, and whether Cloudflare lists the setting
 * {@code editable} on that plan. {@code editable} is what the API reports, not the enforcement:
 * Cloudflare lists {@code max_upload} editable on a Free zone although 100 is the only size it may
 * have; the values a plan may choose are what is enforced. A plan listed not editable may choose
 * only its default.
 */
public record SettingRule(Kind kind, List<SettingValue> values, Map<Plan, SettingValue> defaults,
        Map<Plan, List<SettingValue>> allowed, Map<Plan, Boolean> editable) {

    /** How values are written on the wire: words are JSON strings, megabytes JSON integers. */
    public enum Kind {
        WORD,
        MEGABYTES
    }

    public SettingRule {
        values = List.copyOf(values);
        defaults = Collections.unmodifiableMap(new EnumMap<>(defaults));
        EnumMap<Plan, List<SettingValue>> copy = new EnumMap<>(Plan.class);
        allowed.forEach((plan, list) -> copy.put(plan, List.copyOf(list)));
        allowed = Collections.unmodifiableMap(copy);
        editable = Collections.unmodifiableMap(new EnumMap<>(editable));
        for (Plan plan : Plan.values()) {
            SettingValue fallback = defaults.get(plan);
            List<SettingValue> choices = allowed.get(plan);
            Boolean listed = editable.get(plan);
            if (fallback == null || choices == null || listed == null || !values.containsAll(choices)
                    || !choices.contains(fallback) || (!listed && choices.size() > 1)) {
                throw new IllegalArgumentException("inconsistent rule for plan " + plan.id());
            }
        }
    }

    /** Whether the values are the words {@code on} and {@code off}, in that order ({@link #onOff}). */
    public boolean isOnOff() {
        return kind == Kind.WORD && values.size() == 2 && values.get(0).text().equals("on")
                && values.get(1).text().equals("off");
    }

    /** Words, the same default and every value allowed on every plan. */
    static SettingRule words(String defaultWord, String... words) {
        List<SettingValue> values = new ArrayList<>();
        for (String word : words) {
            values.add(new SettingValue.Word(word));
        }
        SettingValue fallback = find(values, defaultWord);
        return new SettingRule(Kind.WORD, values, perPlan(plan -> fallback), perPlan(plan -> values), perPlan(plan -> true));
    }

    static SettingRule onOff(String defaultWord) {
        return words(defaultWord, "on", "off");
    }

    /** This rule, except that plans other than {@code only} are held to the default and listed not editable. */
    SettingRule changeableOnlyOn(Plan only) {
        return new SettingRule(kind, values, defaults,
                perPlan(plan -> plan == only ? allowed.get(plan) : List.of(defaults.get(plan))), perPlan(plan -> plan == only));
    }

    /**
     * Sizes in megabytes: a default and a ceiling per plan; a plan may choose any size up to its
     * ceiling. Listed editable on every plan, as Cloudflare lists {@code max_upload} (a Free zone's
     * only size is 100, which a PATCH may set again).
     */
    static SettingRule megabytes(List<Integer> sizes, Map<Plan, Integer> defaultByPlan, Map<Plan, Integer> ceilingByPlan) {
        List<SettingValue> values = new ArrayList<>();
        for (int size : sizes) {
            values.add(new SettingValue.Megabytes(size));
        }
        return new SettingRule(
                Kind.MEGABYTES,
                values,
                perPlan(plan -> find(values, Integer.toString(defaultByPlan.get(plan)))),
                perPlan(plan -> values.stream()
                        .filter(v -> ((SettingValue.Megabytes) v).megabytes() <= ceilingByPlan.get(plan))
                        .toList()),
                perPlan(plan -> true));
    }

    /** The canonical instance for {@code text} ({@code "on"}, {@code "100"}), if it is one of the values. */
    public Optional<SettingValue> value(String text) {
        if (kind == Kind.MEGABYTES) {
            // Compared as numbers: Megabytes.text() formats a new string, and a node decoding 100k
            // zones from its disk cache asks this once per zone (bench/README.md, "Figures behind the code").
            int megabytes = parseMegabytes(text);
            for (SettingValue value : values) {
                if (((SettingValue.Megabytes) value).megabytes() == megabytes) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }
        for (SettingValue value : values) {
            if (value.text().equals(text)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The plain decimal text's number (as {@code Megabytes.text()} writes it), or -1 for anything else. */
    private static int parseMegabytes(String text) {
        if (text == null || text.isEmpty() || text.length() > 9 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static SettingValue find(List<SettingValue> values, String text) {
        return values.stream()
                .filter(v -> v.text().equals(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("default " + text + " is not among the values"));
    }

    private static <T> Map<Plan, T> perPlan(Function<Plan, T> f) {
        EnumMap<Plan, T> map = new EnumMap<>(Plan.class);
        for (Plan plan : Plan.values()) {
            map.put(plan, f.apply(plan));
        }
        return map;
    }
}
