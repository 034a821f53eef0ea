package zoneplane.model.logpush;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The comparison operators of Cloudflare's Logpush filters, by their notation, and the field types
 * each applies to: equality on every type, ordering on numbers (and timestamps), text matching on
 * strings, set membership ({@code in}, {@code !in}, whose value is an array) on every type.
 */
public enum FilterOperator {
    EQ("eq", FieldType.STRING, FieldType.INT, FieldType.TIMESTAMP),
    NOT_EQ("!eq", FieldType.STRING, FieldType.INT, FieldType.TIMESTAMP),
    LT("lt", FieldType.INT, FieldType.TIMESTAMP),
    LEQ("leq", FieldType.INT, FieldType.TIMESTAMP),
    GT("gt", FieldType.INT, FieldType.TIMESTAMP),
    GEQ("geq", FieldType.INT, FieldType.TIMESTAMP),
    STARTS_WITH("startsWith", FieldType.STRING),
    ENDS_WITH("endsWith", FieldType.STRING),
    NOT_STARTS_WITH("!startsWith", FieldType.STRING),
    NOT_ENDS_WITH("!endsWith", FieldType.STRING),
    CONTAINS("contains", FieldType.STRING),
    NOT_CONTAINS("!contains", FieldType.STRING),
    IN("in", FieldType.STRING, FieldType.INT, FieldType.TIMESTAMP),
    NOT_IN("!in", FieldType.STRING, FieldType.INT, FieldType.TIMESTAMP);

    private final String notation;
    private final Set<FieldType> types;

    FilterOperator(String notation, FieldType first, FieldType... more) {
        this.notation = notation;
        this.types = EnumSet.of(first, more);
    }

    public String notation() {
        return notation;
    }

    public boolean appliesTo(FieldType type) {
        return types.contains(type);
    }

    /** Whether the operator's value is an array of values rather than one. */
    public boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    public static Optional<FilterOperator> fromNotation(String notation) {
        return Arrays.stream(values()).filter(o -> o.notation.equals(notation)).findFirst();
    }

    /** Every notation, comma-separated, for messages. */
    public static String allowed() {
        return Arrays.stream(values()).map(FilterOperator::notation).collect(Collectors.joining(", "));
    }
}
