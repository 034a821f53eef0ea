package zoneplane.model.logpush;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.model.wire.WireFormatException;

/**
 * A job's filter, Cloudflare's JSON: {@code {"where":EXPR}} where EXPR is a condition
 * {@code {"key":"ClientRequestHost","operator":"eq","value":"example.com"}} or a group
 * {@code {"and":[EXPR,…]}} / {@code {"or":[EXPR,…]}}. Keys are fields of the dataset
 * ({@link HttpRequestsField}), operators Cloudflare's ({@link FilterOperator}) and must apply to the
 * field's type; a number field's value is a number or a string of one (Cloudflare's examples quote
 * them). {@link #parse} validates all of that and {@link #toJson} writes one canonical form (numbers
 * for number fields, strings otherwise), so what is stored is what every node reads.
 *
 * <p>Bounds, so that a filter costs the edge little per record: at most {@link #MAX_CONDITIONS}
 * conditions, groups nested at most {@link #MAX_DEPTH} deep, {@link #MAX_VALUES} values in a list,
 * values of at most {@link #MAX_VALUE_LENGTH} characters. An empty filter (no {@code where}, or the
 * text {@code ""}) is {@link #ALL}: every record passes.
 */
public sealed interface LogpushFilter {

    int MAX_CONDITIONS = 50;
    int MAX_DEPTH = 4;
    int MAX_VALUES = 100;
    int MAX_VALUE_LENGTH = 1024;

    /** No filter: every record is delivered. */
    LogpushFilter ALL = new All();

    /** Every record. */
    record All() implements LogpushFilter {}

    /** A record passes when every part does. */
    record And(List<LogpushFilter> parts) implements LogpushFilter {
        public And {
            parts = List.copyOf(parts);
        }
    }

    /** A record passes when at least one part does. */
    record Or(List<LogpushFilter> parts) implements LogpushFilter {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    /**
     * One comparison. {@code values} holds exactly one value unless the operator
     * {@link FilterOperator#takesList() takes a list}; a number field's values are decimal integers.
     */
    record Condition(HttpRequestsField field, FilterOperator operator, List<String> values) implements LogpushFilter {
        public Condition {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values);
            if (!operator.appliesTo(field.type())) {
                throw new WireFormatException("operator " + operator.notation() + " does not apply to " + field.fieldName()
                        + " (a " + field.type().wire() + " field)");
            }
            if (!operator.takesList() && values.size() != 1) {
                throw new WireFormatException("operator " + operator.notation() + " takes one value");
            }
            if (values.isEmpty() || values.size() > MAX_VALUES) {
                throw new WireFormatException("operator " + operator.notation() + " takes 1 to " + MAX_VALUES + " values");
            }
            for (String value : values) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw new WireFormatException("a filter value is longer than " + MAX_VALUE_LENGTH + " characters");
                }
                if (field.type() != FieldType.STRING && !isInteger(value)) {
                    throw new WireFormatException(field.fieldName() + " is a number field: value '" + shorten(value)
                            + "' is not a whole number");
                }
            }
        }

        /** The value of a one-value operator. */
        public String value() {
            return values.get(0);
        }
    }

    /** Cloudflare's filter text; blank means {@link #ALL}. Throws {@link WireFormatException} with a message safe to show. */
    static LogpushFilter parse(String json) {
        if (json == null || json.isBlank()) {
            return ALL;
        }
        try (JsonParser p = Codec.FACTORY.createParser(ObjectReadContext.empty(), json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the filter must be a JSON object {\"where\":…}");
            LogpushFilter filter = ALL;
            int[] conditions = {0};
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("where")) {
                    throw new WireFormatException("unknown filter member '" + shorten(name) + "': expected where");
                }
                filter = value == JsonToken.VALUE_NULL ? ALL : Codec.expression(p, value, 1, conditions);
            }
            if (p.nextToken() != null) {
                throw new WireFormatException("trailing content after the filter");
            }
            return filter;
        } catch (JacksonException e) {
            throw new WireFormatException("the filter is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Whether {@code record} passes the filter. Strings compare exactly and case-sensitively, as the record
     * writes them; numbers as whole numbers; a timestamp as the caller gives it (the edge gives seconds for
     * {@code unix} and {@code rfc3339} jobs, milliseconds for {@code rfc3339ms}, nanoseconds for
     * {@code unixnano}: the unit the job writes). Cheap: no allocation, no parsing beyond the values' digits.
     */
    default boolean matches(FieldValues record) {
        return FilterEvaluation.matches(this, record);
    }

    /** The canonical text: {@code ""} for {@link #ALL}, else {@code {"where":…}}. */
    default String toJson() {
        if (this instanceof All) {
            return "";
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = Codec.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeName("where");
            Codec.write(g, this);
            g.writeEndObject();
        }
        return out.toString();
    }

    private static boolean isInteger(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-')) {
                return false;
            }
        }
        try {
            Long.parseLong(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    private static void expect(JsonToken actual, JsonToken expected, String message) {
        if (actual != expected) {
            throw new WireFormatException(message);
        }
    }

    /** Streaming reader and writer of the filter's JSON (jackson-core only, no tree). */
    final class Codec {
        static final JsonFactory FACTORY = new JsonFactory();

        private Codec() {}

        static LogpushFilter expression(JsonParser p, JsonToken token, int depth, int[] conditions) {
            expect(token, JsonToken.START_OBJECT, "a filter expression must be an object: a condition {key, operator, value} "
                    + "or a group {and:[…]} / {or:[…]}");
            String key = null;
            String operator = null;
            Value values = null;
            List<LogpushFilter> group = null;
            boolean and = false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "key" -> key = text(p, value, "key");
                    case "operator" -> operator = text(p, value, "operator");
                    case "value" -> values = values(p, value);
                    case "and", "or" -> {
                        if (group != null) {
                            throw new WireFormatException("a filter group has one of and / or");
                        }
                        and = name.equals("and");
                        group = group(p, value, name, depth, conditions);
                    }
                    default -> throw new WireFormatException("unknown filter member '" + shorten(name)
                            + "': expected key, operator, value, and or or");
                }
            }
            if (group != null) {
                if (key != null || operator != null || values != null) {
                    throw new WireFormatException("a filter group (and / or) cannot also be a condition");
                }
                return and ? new And(group) : new Or(group);
            }
            return condition(key, operator, values, conditions);
        }

        private static List<LogpushFilter> group(JsonParser p, JsonToken token, String name, int depth, int[] conditions) {
            expect(token, JsonToken.START_ARRAY, "filter member " + name + " must be an array of expressions");
            if (depth > MAX_DEPTH) {
                throw new WireFormatException("filter groups nest at most " + MAX_DEPTH + " deep");
            }
            List<LogpushFilter> parts = new ArrayList<>();
            JsonToken next;
            while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                parts.add(expression(p, next, depth + 1, conditions));
            }
            if (parts.isEmpty()) {
                throw new WireFormatException("filter member " + name + " needs at least one expression");
            }
            return parts;
        }

        private static LogpushFilter condition(String key, String operator, Value value, int[] conditions) {
            if (key == null || operator == null || value == null) {
                throw new WireFormatException("a filter condition needs key, operator and value");
            }
            if (++conditions[0] > MAX_CONDITIONS) {
                throw new WireFormatException("a filter has at most " + MAX_CONDITIONS + " conditions");
            }
            HttpRequestsField field = HttpRequestsField.named(key).orElseThrow(() -> new WireFormatException(
                    "filter key '" + shorten(key) + "' is not a field of the " + HttpRequestsField.DATASET + " dataset"));
            FilterOperator op = FilterOperator.fromNotation(operator).orElseThrow(() -> new WireFormatException(
                    "filter operator '" + shorten(operator) + "' is not one of " + FilterOperator.allowed()));
            if (op.takesList() != value.list()) {
                throw new WireFormatException("operator " + op.notation() + " takes "
                        + (op.takesList() ? "an array of values" : "one value, not an array"));
            }
            return new Condition(field, op, value.values());
        }

        /** A condition's value as read: one scalar, or an array of them. */
        private record Value(boolean list, List<String> values) {}

        private static Value values(JsonParser p, JsonToken token) {
            if (token != JsonToken.START_ARRAY) {
                return new Value(false, List.of(scalar(p, token)));
            }
            List<String> values = new ArrayList<>();
            JsonToken next;
            while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                if (values.size() >= MAX_VALUES) {
                    throw new WireFormatException("a filter list has at most " + MAX_VALUES + " values");
                }
                values.add(scalar(p, next));
            }
            return new Value(true, values);
        }

        private static String scalar(JsonParser p, JsonToken token) {
            return switch (token) {
                case VALUE_STRING -> p.getString();
                case VALUE_NUMBER_INT -> p.getString();
                case VALUE_TRUE, VALUE_FALSE -> p.getString();
                default -> throw new WireFormatException("a filter value must be a string, a whole number or a boolean");
            };
        }

        private static String text(JsonParser p, JsonToken token, String field) {
            expect(token, JsonToken.VALUE_STRING, "filter " + field + " must be a string");
            return p.getString();
        }

        static void write(JsonGenerator g, LogpushFilter filter) {
            if (filter instanceof And and) {
                group(g, "and", and.parts());
            } else if (filter instanceof Or or) {
                group(g, "or", or.parts());
            } else if (filter instanceof Condition c) {
                g.writeStartObject();
                g.writeStringProperty("key", c.field().fieldName());
                g.writeStringProperty("operator", c.operator().notation());
                g.writeName("value");
                if (c.operator().takesList()) {
                    g.writeStartArray();
                    c.values().forEach(v -> value(g, c.field(), v));
                    g.writeEndArray();
                } else {
                    value(g, c.field(), c.value());
                }
                g.writeEndObject();
            } else {
                g.writeNull();
            }
        }

        private static void group(JsonGenerator g, String name, List<LogpushFilter> parts) {
            g.writeStartObject();
            g.writeName(name);
            g.writeStartArray();
            parts.forEach(part -> write(g, part));
            g.writeEndArray();
            g.writeEndObject();
        }

        private static void value(JsonGenerator g, HttpRequestsField field, String value) {
            if (field.type() == FieldType.STRING) {
                g.writeString(value);
            } else {
                g.writeNumber(Long.parseLong(value));
            }
        }
    }
}
