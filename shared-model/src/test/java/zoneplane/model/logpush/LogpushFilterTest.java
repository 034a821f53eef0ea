package zoneplane.model.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zoneplane.model.wire.WireFormatException;

class LogpushFilterTest {

    @Test
    void cloudflaresDocumentedExampleParsesAndIsWrittenCanonically() {
        LogpushFilter filter = LogpushFilter.parse("{\"where\":{\"and\":[{\"key\":\"ClientRequestPath\",\"operator\":\"contains\","
                + "\"value\":\"/static\"},{\"key\":\"ClientRequestHost\",\"operator\":\"eq\",\"value\":\"example.com\"}]}}");
        assertThat(filter).isEqualTo(new LogpushFilter.And(List.of(
                new LogpushFilter.Condition(HttpRequestsField.CLIENT_REQUEST_PATH, FilterOperator.CONTAINS, List.of("/static")),
                new LogpushFilter.Condition(HttpRequestsField.CLIENT_REQUEST_HOST, FilterOperator.EQ, List.of("example.com")))));
        assertThat(LogpushFilter.parse(filter.toJson())).isEqualTo(filter);
    }

    @Test
    void numberFieldsTakeQuotedOrBareNumbersAndAreWrittenAsNumbers() {
        LogpushFilter quoted = LogpushFilter.parse("{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":\"500\"}}");
        LogpushFilter bare = LogpushFilter.parse("{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}}");
        assertThat(quoted).isEqualTo(bare);
        assertThat(quoted.toJson()).isEqualTo("{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\",\"value\":500}}");
    }

    @Test
    void inTakesAnArrayEvenOfOneAndNestedGroupsRoundTrip() {
        String json = "{\"where\":{\"or\":[{\"key\":\"ClientCountry\",\"operator\":\"in\",\"value\":[\"ca\"]},"
                + "{\"and\":[{\"key\":\"ZoneplaneConnectionKind\",\"operator\":\"!eq\",\"value\":\"websocket\"},"
                + "{\"key\":\"ClientRequestUserAgent\",\"operator\":\"!contains\",\"value\":\"\\\"bot\\\"\\n\\u0000\"}]}]}}";
        LogpushFilter filter = LogpushFilter.parse(json);
        assertThat(filter.toJson()).isEqualTo(json);
        assertThat(((LogpushFilter.Condition) ((LogpushFilter.Or) filter).parts().get(0)).values()).containsExactly("ca");
    }

    @Test
    void noFilterMeansEveryRecord() {
        assertThat(LogpushFilter.parse(null)).isEqualTo(LogpushFilter.ALL);
        assertThat(LogpushFilter.parse("  ")).isEqualTo(LogpushFilter.ALL);
        assertThat(LogpushFilter.parse("{\"where\":null}")).isEqualTo(LogpushFilter.ALL);
        assertThat(LogpushFilter.ALL.toJson()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"where\":{\"key\":\"BotScore\",\"operator\":\"lt\",\"value\":\"30\"}}|not a field of the http_requests dataset",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"like\",\"value\":\"1\"}}|is not one of eq, !eq",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"gt\",\"value\":\"1\"}}|does not apply to ClientIP",
            "{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"startsWith\",\"value\":\"5\"}}|does not apply to EdgeResponseStatus",
            "{\"where\":{\"key\":\"EdgeResponseStatus\",\"operator\":\"eq\",\"value\":\"five\"}}|is not a whole number",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"in\",\"value\":\"1.2.3.4\"}}|takes an array of values",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"eq\",\"value\":[\"1.2.3.4\"]}}|one value, not an array",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"in\",\"value\":[]}}|takes 1 to 100 values",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"eq\"}}|needs key, operator and value",
            "{\"where\":{\"and\":[]}}|needs at least one expression",
            "{\"where\":{\"and\":[{\"key\":\"ClientIP\",\"operator\":\"eq\",\"value\":\"1\"}],\"key\":\"ClientIP\"}}|cannot also be a condition",
            "{\"where\":{\"xor\":[]}}|unknown filter member 'xor'",
            "{\"key\":\"ClientIP\",\"operator\":\"eq\",\"value\":\"1\"}|expected where",
            "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"eq\",\"value\":{\"a\":1}}}|must be a string, a whole number or a boolean",
            "[]|must be a JSON object",
            "{\"where\":|not valid JSON",
            "{\"where\":null} {}|trailing content"})
    void invalidFiltersAreRefusedWithAMessageThatSaysWhy(String json, String message) {
        assertThatThrownBy(() -> LogpushFilter.parse(json)).isInstanceOf(WireFormatException.class).hasMessageContaining(message);
    }

    @Test
    void filtersAreBoundedInDepthAndSize() {
        String condition = "{\"key\":\"ClientIP\",\"operator\":\"eq\",\"value\":\"1\"}";
        String deep = condition;
        for (int i = 0; i < LogpushFilter.MAX_DEPTH + 1; i++) {
            deep = "{\"and\":[" + deep + "]}";
        }
        String tooDeep = "{\"where\":" + deep + "}";
        assertThatThrownBy(() -> LogpushFilter.parse(tooDeep)).hasMessageContaining("nest at most");
        String many = "{\"where\":{\"or\":[" + String.join(",", java.util.Collections.nCopies(LogpushFilter.MAX_CONDITIONS + 1, condition)) + "]}}";
        assertThatThrownBy(() -> LogpushFilter.parse(many)).hasMessageContaining("at most 50 conditions");
        String longValue = "{\"where\":{\"key\":\"ClientIP\",\"operator\":\"eq\",\"value\":\"" + "x".repeat(1025) + "\"}}";
        assertThatThrownBy(() -> LogpushFilter.parse(longValue)).hasMessageContaining("longer than 1024");
    }
}
