package zoneplane.controlplane.zone;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import zoneplane.controlplane.api.Identifiers;
import zoneplane.controlplane.api.JsonBody;

/**
 * Cloudflare's list parameters of {@code GET /zones}, as SQL over {@code zones z join accounts a}:
 * filters on {@code name} and {@code account.name} (with the operators {@code equal:} (the default),
 * {@code not_equal:}, {@code starts_with:}, {@code ends_with:}, {@code contains:} and their
 * {@code _case_sensitive} forms), {@code account.id} and {@code status}; {@code match=all} (every
 * filter) or {@code any} (at least one); {@code order} and {@code direction}. A filter value no zone
 * can have matches nothing (never an error, and it never reaches SQL: no NUL byte can); a bad
 * {@code order}, {@code direction} or {@code match} is 400 (code 1003).
 *
 * @param conditions SQL conditions, each with its parameters in {@code parameters}
 * @param orderBy the SQL {@code order by} list
 */
record ZoneFilter(List<String> conditions, Map<String, Object> parameters, boolean matchAny, String orderBy) {

    /** Every zone, by name. */
    static final ZoneFilter ALL = new ZoneFilter(List.of(), Map.of(), false, "z.name, z.id");

    /** {@code order} values and the column each sorts by (then by name and id, so pages are stable). */
    static final Map<String, String> ORDERS = orders();

    static final Set<String> STATUSES = Set.of("active", "pending", "initializing", "moved");

    private static final Pattern NAME_CHARACTERS = Pattern.compile("[a-z0-9.-]*");

    private enum Operator {
        EQUAL, NOT_EQUAL, STARTS_WITH, ENDS_WITH, CONTAINS, STARTS_WITH_CASE_SENSITIVE, ENDS_WITH_CASE_SENSITIVE,
        CONTAINS_CASE_SENSITIVE;

        final String prefix = name().toLowerCase(Locale.ROOT) + ":";

        boolean caseSensitive() {
            return name().endsWith("_CASE_SENSITIVE");
        }

        /** The LIKE pattern of {@code value} (escaped), or null for equal / not_equal. */
        String pattern(String value) {
            String escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            return switch (this) {
                case STARTS_WITH, STARTS_WITH_CASE_SENSITIVE -> escaped + "%";
                case ENDS_WITH, ENDS_WITH_CASE_SENSITIVE -> "%" + escaped;
                case CONTAINS, CONTAINS_CASE_SENSITIVE -> "%" + escaped + "%";
                default -> null;
            };
        }
    }

    /** Parses the parameters; null or empty ones are absent. */
    static ZoneFilter parse(String name, String accountId, String accountName, String status, String order, String direction,
            String match) {
        Builder builder = new Builder();
        if (present(name)) {
            builder.name(name);
        }
        if (present(accountId)) {
            builder.equal("z.account_id", Identifiers.isId(accountId) ? Optional.of(accountId) : Optional.empty());
        }
        if (present(accountName)) {
            builder.accountName(accountName);
        }
        if (present(status)) {
            builder.equal("z.status", STATUSES.contains(status) ? Optional.of(status) : Optional.empty());
        }
        boolean any = switch (present(match) ? match : "all") {
            case "all" -> false;
            case "any" -> true;
            default -> throw JsonBody.invalid("Parameter 'match' must be all or any");
        };
        String column = ORDERS.get(present(order) ? order : "name");
        if (column == null) {
            throw JsonBody.invalid("Parameter 'order' must be one of " + String.join(", ", ORDERS.keySet()));
        }
        String sort = switch (present(direction) ? direction : "asc") {
            case "asc" -> " asc";
            case "desc" -> " desc";
            default -> throw JsonBody.invalid("Parameter 'direction' must be asc or desc");
        };
        String orderBy = column.equals("z.name") ? "z.name" + sort + ", z.id" + sort : column + sort + ", z.name, z.id";
        return new ZoneFilter(List.copyOf(builder.conditions), Map.copyOf(builder.parameters), any, orderBy);
    }

    /** The SQL condition of all filters (joined by and / or), {@code true} when there is none. */
    String where() {
        return conditions.isEmpty() ? "true" : "(" + String.join(matchAny ? " or " : " and ", conditions) + ")";
    }

    private static boolean present(String parameter) {
        return parameter != null && !parameter.isEmpty();
    }

    private static Map<String, String> orders() {
        Map<String, String> orders = new LinkedHashMap<>();
        orders.put("name", "z.name");
        orders.put("status", "z.status");
        orders.put("account.id", "z.account_id");
        orders.put("account.name", "a.name");
        orders.put("plan.id", "array_position(array['free', 'pro', 'business', 'enterprise'], z.plan)");
        orders.put("created_on", "z.created_on");
        orders.put("modified_on", "z.modified_on");
        return orders;
    }

    private static final class Builder {
        final List<String> conditions = new ArrayList<>();
        final Map<String, Object> parameters = new LinkedHashMap<>();

        String parameter(Object value) {
            String key = "f" + parameters.size();
            parameters.put(key, value);
            return ":" + key;
        }

        void equal(String column, Optional<String> value) {
            conditions.add(value.map(v -> column + " = " + parameter(v)).orElse("false"));
        }

        /** Zone names are stored lower-case punycode: values are compared in that form. */
        void name(String raw) {
            Operator operator = operatorOf(raw);
            String value = raw.substring(operator == null ? 0 : operator.prefix.length());
            if (operator == null || operator == Operator.EQUAL || operator == Operator.NOT_EQUAL) {
                Optional<String> stored = ZoneNames.tryNormalize(value);
                boolean not = operator == Operator.NOT_EQUAL;
                conditions.add(stored.map(v -> "z.name " + (not ? "<>" : "=") + " " + parameter(v)).orElse(not ? "true" : "false"));
                return;
            }
            Optional<String> fragment = nameFragment(value, operator.caseSensitive());
            conditions.add(fragment.map(f -> "z.name like " + parameter(operator.pattern(f)) + " escape '\\'").orElse("false"));
        }

        void accountName(String raw) {
            Operator operator = operatorOf(raw);
            String value = raw.substring(operator == null ? 0 : operator.prefix.length());
            boolean not = operator == Operator.NOT_EQUAL;
            if (value.indexOf('\0') >= 0) {
                conditions.add(not ? "true" : "false"); // no account name holds a NUL (PostgreSQL text cannot)
                return;
            }
            if (operator == null || operator == Operator.EQUAL || not) {
                conditions.add("lower(a.name) " + (not ? "<>" : "=") + " lower(" + parameter(value) + ")");
            } else if (operator.caseSensitive()) {
                conditions.add("a.name like " + parameter(operator.pattern(value)) + " escape '\\'");
            } else {
                conditions.add("lower(a.name) like lower(" + parameter(operator.pattern(value)) + ") escape '\\'");
            }
        }

        private static Operator operatorOf(String raw) {
            for (Operator operator : Operator.values()) {
                if (raw.startsWith(operator.prefix)) {
                    return operator;
                }
            }
            return null;
        }

        /**
         * A part of a name in the stored form: lower-cased (unless case-sensitive), an internationalised
         * part in punycode; empty when no stored name can contain it.
         */
        private static Optional<String> nameFragment(String value, boolean caseSensitive) {
            String fragment = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
            if (!NAME_CHARACTERS.matcher(fragment).matches()) {
                try {
                    fragment = IDN.toASCII(fragment, IDN.ALLOW_UNASSIGNED);
                    fragment = caseSensitive ? fragment : fragment.toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
            return NAME_CHARACTERS.matcher(fragment).matches() ? Optional.of(fragment) : Optional.empty();
        }
    }
}
