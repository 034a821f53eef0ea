package zoneplane.model.logpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LogpushFilter#matches}: every operator the catalogue has, on strings, numbers and timestamps. */
class LogpushFilterMatchTest {

    /** A record: ClientRequestPath /static/app.js, ClientCountry ca, EdgeResponseStatus 404, start 1000 s. */
    static final FieldValues RECORD = new FieldValues() {
        final Map<HttpRequestsField, String> text = Map.of(HttpRequestsField.CLIENT_REQUEST_PATH, "/static/app.js",
                HttpRequestsField.CLIENT_COUNTRY, "ca", HttpRequestsField.CLIENT_REQUEST_HOST, "Example.com");
        final Map<HttpRequestsField, Long> numbers = Map.of(HttpRequestsField.EDGE_RESPONSE_STATUS, 404L,
                HttpRequestsField.EDGE_START_TIMESTAMP, 1000L);

        @Override
        public String text(HttpRequestsField field) {
            return text.getOrDefault(field, "");
        }

        @Override
        public long number(HttpRequestsField field) {
            return numbers.getOrDefault(field, 0L);
        }
    };

    static boolean passes(String where) {
        return LogpushFilter.parse("{\"where\":" + where + "}").matches(RECORD);
    }

    static String condition(String key, String operator, String value) {
        return "{\"key\":\"" + key + "\",\"operator\":\"" + operator + "\",\"value\":" + value + "}";
    }

    @Test
    void stringOperatorsCompareExactlyAndCaseSensitively() {
        String path = "ClientRequestPath";
        assertThat(passes(condition(path, "eq", "\"/static/app.js\""))).isTrue();
        assertThat(passes(condition(path, "eq", "\"/STATIC/app.js\""))).isFalse();
        assertThat(passes(condition(path, "!eq", "\"/other\""))).isTrue();
        assertThat(passes(condition(path, "startsWith", "\"/static\""))).isTrue();
        assertThat(passes(condition(path, "startsWith", "\"/Static\""))).isFalse();
        assertThat(passes(condition(path, "!startsWith", "\"/static\""))).isFalse();
        assertThat(passes(condition(path, "endsWith", "\".js\""))).isTrue();
        assertThat(passes(condition(path, "!endsWith", "\".js\""))).isFalse();
        assertThat(passes(condition(path, "contains", "\"/app\""))).isTrue();
        assertThat(passes(condition(path, "!contains", "\"/app\""))).isFalse();
        assertThat(passes(condition(path, "!contains", "\"/api\""))).isTrue();
        assertThat(passes(condition("ClientCountry", "in", "[\"us\",\"ca\"]"))).isTrue();
        assertThat(passes(condition("ClientCountry", "in", "[\"US\",\"CA\"]"))).isFalse();
        assertThat(passes(condition("ClientCountry", "!in", "[\"us\",\"de\"]"))).isTrue();
        assertThat(passes(condition("ClientRequestHost", "eq", "\"example.com\""))).isFalse();
        assertThat(passes(condition("ClientRequestUserAgent", "eq", "\"\""))).isTrue();
    }

    @Test
    void numberOperatorsCompareNumbersWhetherQuotedOrNot() {
        String status = "EdgeResponseStatus";
        assertThat(passes(condition(status, "eq", "404"))).isTrue();
        assertThat(passes(condition(status, "eq", "\"404\""))).isTrue();
        assertThat(passes(condition(status, "!eq", "404"))).isFalse();
        assertThat(passes(condition(status, "lt", "404"))).isFalse();
        assertThat(passes(condition(status, "leq", "404"))).isTrue();
        assertThat(passes(condition(status, "gt", "399"))).isTrue();
        assertThat(passes(condition(status, "gt", "404"))).isFalse();
        assertThat(passes(condition(status, "geq", "404"))).isTrue();
        assertThat(passes(condition(status, "geq", "500"))).isFalse();
        assertThat(passes(condition(status, "in", "[200,404]"))).isTrue();
        assertThat(passes(condition(status, "!in", "[200,404]"))).isFalse();
        assertThat(passes(condition("EdgeStartTimestamp", "geq", "1000"))).isTrue();
        assertThat(passes(condition("EdgeStartTimestamp", "lt", "1000"))).isFalse();
    }

    @Test
    void groupsCombineTheirParts() {
        String yes = condition("ClientCountry", "eq", "\"ca\"");
        String no = condition("EdgeResponseStatus", "eq", "200");
        assertThat(passes("{\"and\":[" + yes + "," + no + "]}")).isFalse();
        assertThat(passes("{\"or\":[" + yes + "," + no + "]}")).isTrue();
        assertThat(passes("{\"or\":[" + no + ",{\"and\":[" + yes + "," + yes + "]}]}")).isTrue();
        assertThat(passes("{\"and\":[" + yes + ",{\"or\":[" + no + "," + no + "]}]}")).isFalse();
        assertThat(LogpushFilter.ALL.matches(RECORD)).isTrue();
    }
}
