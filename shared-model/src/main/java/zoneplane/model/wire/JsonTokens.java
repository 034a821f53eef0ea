package zoneplane.model.wire;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Typed reads of the current token for the wire readers (Logpush, usage); a wrong type is a {@link WireFormatException} naming the field. */
final class JsonTokens {

    private JsonTokens() {}

    static void expect(JsonToken actual, JsonToken expected, String field) {
        if (actual != expected) {
            throw new WireFormatException(field + ": expected " + expected + " but found " + actual);
        }
    }

    static String text(JsonParser p, JsonToken token, String field) {
        expect(token, JsonToken.VALUE_STRING, field);
        return p.getString();
    }

    /** A string, or null for JSON null. */
    static String nullableText(JsonParser p, JsonToken token, String field) {
        return token == JsonToken.VALUE_NULL ? null : text(p, token, field);
    }

    static long number(JsonParser p, JsonToken token, String field) {
        expect(token, JsonToken.VALUE_NUMBER_INT, field);
        return p.getLongValue();
    }

    static double decimal(JsonParser p, JsonToken token, String field) {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new WireFormatException(field + ": expected a number but found " + token);
        }
        return p.getDoubleValue();
    }

    static boolean bool(JsonToken token, String field) {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new WireFormatException(field + ": expected true or false but found " + token);
        }
        return token == JsonToken.VALUE_TRUE;
    }

    /** An ISO-8601 instant, or null for JSON null. */
    static Instant instant(JsonParser p, JsonToken token, String field) {
        String text = nullableText(p, token, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new WireFormatException(field + " is not an ISO-8601 instant", e);
        }
    }

    static void end(JsonParser p, String what) {
        if (p.nextToken() != null) {
            throw new WireFormatException("trailing content after the " + what);
        }
    }
}
