package zoneplane.dataplane.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RawHttp;
import zoneplane.dataplane.support.Zones;

/** {@code ZONEPLANE_ACCESS_LOG=json}: real requests through the edge, each logged as one parseable JSON line. */
class JsonAccessLogTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.ACCESS_LOG, "json");

    static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeAll
    static void capture() {
        lines.start();
        accessLogger().addAppender(lines);
    }

    @AfterAll
    static void release() {
        accessLogger().detachAppender(lines);
    }

    private static Logger accessLogger() {
        return (Logger) LoggerFactory.getLogger(JsonAccessLog.LOGGER);
    }

    @Test
    void everyRequestIsOneJsonLineWithItsRayStatusAndSize() throws Exception {
        var response = edge.get("a.test", "/hello?x=1");
        String ray = response.headers().firstValue("cf-ray").orElseThrow();

        Map<String, Object> line = awaitLine(ray);
        assertThat(line).containsEntry("host", "a.test").containsEntry("method", "GET")
                .containsEntry("path", "/hello?x=1").containsEntry("status", 200L)
                .containsEntry("visitor_ip", "127.0.0.1").containsEntry("protocol", "HTTP/1.1")
                .containsEntry("bytes", (long) response.body().length());
        assertThat((Long) line.get("duration_ms")).isGreaterThanOrEqualTo(0);
        assertThat(OffsetDateTime.parse((String) line.get("time"))).isNotNull();
    }

    @Test
    void edgeAnswersAreLoggedToo() throws Exception {
        var response = edge.get("unknown.test", "/");
        assertThat(response.statusCode()).isEqualTo(404);

        Map<String, Object> line = awaitLine(response.headers().firstValue("cf-ray").orElseThrow());
        assertThat(line).containsEntry("status", 404L).containsEntry("host", "unknown.test");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() throws Exception {
        String path = "/q\"uote\\back";
        String answer = RawHttp.exchange("127.0.0.1", edge.httpPort(),
                "GET " + path + " HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(answer)).isEqualTo(200);
        String ray = answer.lines().filter(l -> l.regionMatches(true, 0, "cf-ray:", 0, 7)).findFirst().orElseThrow()
                .substring(7).trim();

        Map<String, Object> line = awaitLine(ray);
        assertThat(line).containsEntry("path", path);
    }

    @Test
    void theAccessLoggerWritesAsynchronouslyAndNeverBlocks() {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        Iterator<Appender<ILoggingEvent>> it = accessLogger().iteratorForAppenders();
        it.forEachRemaining(appenders::add);

        assertThat(accessLogger().isAdditive()).isFalse();
        // never blocking by construction (BatchingAccessLogAppenderTest)
        assertThat(appenders).filteredOn(a -> a instanceof BatchingAccessLogAppender).singleElement()
                .satisfies(a -> assertThat(a.isStarted()).isTrue());
        assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("zoneplane").isAdditive()).isTrue();
    }

    /** The parsed JSON line whose ray is {@code ray}; fails if the line does not parse as one JSON object. */
    private static Map<String, Object> awaitLine(String ray) {
        List<Map<String, Object>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (ILoggingEvent event : List.copyOf(lines.list)) {
                Map<String, Object> parsed = parse(event.getFormattedMessage());
                if (ray.equals(parsed.get("ray"))) {
                    found.add(parsed);
                    return true;
                }
            }
            return false;
        });
        return found.get(0);
    }

    private static Map<String, Object> parse(String json) {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(ObjectReadContext.empty(), json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                fields.put(name, value == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue()
                        : value == JsonToken.VALUE_NULL ? null : p.getString());
            }
            assertThat(p.nextToken()).isNull();
        }
        return fields;
    }
}
