package zoneplane.model.logpush;

import java.util.List;

/**
 * How {@link LogpushFilter#matches} decides, per Cloudflare's operator table: strings compare exactly,
 * case-sensitively (Cloudflare's examples match the dataset's own spelling, such as
 * {@code ClientCountry !eq "ca"} against the lower-case country codes the records carry); numbers and
 * timestamps compare as whole numbers; {@code in} / {@code !in} test membership with the same equality.
 */
final class FilterEvaluation {

    private FilterEvaluation() {}

    static boolean matches(LogpushFilter filter, FieldValues record) {
        if (filter instanceof LogpushFilter.All) {
            return true;
        }
        if (filter instanceof LogpushFilter.And and) {
            for (LogpushFilter part : and.parts()) {
                if (!matches(part, record)) {
                    return false;
                }
            }
            return true;
        }
        if (filter instanceof LogpushFilter.Or or) {
            for (LogpushFilter part : or.parts()) {
                if (matches(part, record)) {
                    return true;
                }
            }
            return false;
        }
        LogpushFilter.Condition condition = (LogpushFilter.Condition) filter;
        return condition.field().type() == FieldType.STRING
                ? text(condition.operator(), record.text(condition.field()), condition.values())
                : number(condition.operator(), record.number(condition.field()), condition.values());
    }

    private static boolean text(FilterOperator operator, String actual, List<String> values) {
        String value = values.get(0);
        return switch (operator) {
            case EQ -> actual.equals(value);
            case NOT_EQ -> !actual.equals(value);
            case STARTS_WITH -> actual.startsWith(value);
            case NOT_STARTS_WITH -> !actual.startsWith(value);
            case ENDS_WITH -> actual.endsWith(value);
            case NOT_ENDS_WITH -> !actual.endsWith(value);
            case CONTAINS -> actual.contains(value);
            case NOT_CONTAINS -> !actual.contains(value);
            case IN -> values.contains(actual);
            case NOT_IN -> !values.contains(actual);
            default -> throw new IllegalStateException(operator.notation() + " does not apply to strings");
        };
    }

    private static boolean number(FilterOperator operator, long actual, List<String> values) {
        return switch (operator) {
            case EQ -> actual == Long.parseLong(values.get(0));
            case NOT_EQ -> actual != Long.parseLong(values.get(0));
            case LT -> actual < Long.parseLong(values.get(0));
            case LEQ -> actual <= Long.parseLong(values.get(0));
            case GT -> actual > Long.parseLong(values.get(0));
            case GEQ -> actual >= Long.parseLong(values.get(0));
            case IN -> contains(values, actual);
            case NOT_IN -> !contains(values, actual);
            default -> throw new IllegalStateException(operator.notation() + " does not apply to numbers");
        };
    }

    private static boolean contains(List<String> values, long actual) {
        for (String value : values) {
            if (Long.parseLong(value) == actual) {
                return true;
            }
        }
        return false;
    }
}
