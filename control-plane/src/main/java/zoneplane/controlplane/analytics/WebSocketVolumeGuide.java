package zoneplane.controlplane.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import zoneplane.controlplane.api.Envelope;

/**
 * Plan guidance for WebSockets: each plan expects a volume of concurrent connections (Free low,
 * Pro medium, Business high, Enterprise custom; numbers in {@code zoneplane.analytics.websocket-volume}).
 * A zone whose summed peak over nodes was above it in more than {@code volume-exceeded-share} of
 * the last hour's minutes is flagged — nothing else happens, as Cloudflare allows spikes and talks
 * to the customer about sustained excess; visitors never see an error for it (the operator's hard
 * cap is a separate setting). The flag is added to {@code GET /zones/{zone_id}} as
 * {@code websocket_volume {volume, expected, peak_last_hour, minutes_above, exceeded}} by this advice,
 * so the zone feature does not depend on analytics, and the number of flagged zones is the gauge
 * {@code zoneplane_analytics_websocket_volume_exceeded_zones}.
 */
@ControllerAdvice
class WebSocketVolumeGuide implements ResponseBodyAdvice<Object> {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static final String ZONE_PATTERN = "/zones/{zone_id}";

    /** What the zone API shows. */
    record WebSocketVolume(String volume, long expected, @JsonProperty("peak_last_hour") long peakLastHour,
            @JsonProperty("minutes_above") long minutesAbove, boolean exceeded) {}

    /** A zone object with its {@code websocket_volume}. */
    record ZoneWithVolume(@JsonUnwrapped Object zone, @JsonProperty("websocket_volume") WebSocketVolume websocketVolume) {}

    private final JdbcTemplate jdbc;
    private final AnalyticsProperties properties;
    private final AnalyticsMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    WebSocketVolumeGuide(JdbcTemplate jdbc, AnalyticsProperties properties, AnalyticsMetrics metrics) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** The zone's guidance now; empty when the zone does not exist. */
    Optional<WebSocketVolume> of(String zoneId) {
        Instant since = clock.instant().minus(WINDOW);
        return jdbc.query("select plan from zones where id = ?", (rs, n) -> rs.getString(1), zoneId).stream().findFirst()
                .map(plan -> {
                    AnalyticsProperties.Expected expected = properties.websocketVolume().of(plan);
                    long[] peak = jdbc.queryForObject("""
                            select coalesce(max(peak), 0), count(*) filter (where peak > ?)
                            from (select ts, sum(ws_peak_concurrent) as peak from analytics_zone_1m
                                  where zone_id = ? and ts >= ? group by ts) as minutes""",
                            (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}, expected.connections(), zoneId,
                            UsageIngest.timestamp(since));
                    return new WebSocketVolume(expected.volume(), expected.connections(), peak[0], peak[1],
                            peak[1] > threshold());
                });
    }

    private long threshold() {
        return (long) Math.floor(properties.volumeExceededShare() * WINDOW.toMinutes());
    }

    @Scheduled(initialDelayString = "${zoneplane.analytics.rollup-interval:1m}",
            fixedDelayString = "${zoneplane.analytics.rollup-interval:1m}")
    void countFlaggedZones() {
        AnalyticsProperties.WebSocketVolume v = properties.websocketVolume();
        Long flagged = jdbc.queryForObject("""
                select count(*) from (
                    select m.zone_id from (select zone_id, ts, sum(ws_peak_concurrent) as peak from analytics_zone_1m
                                           where ts >= ? group by zone_id, ts) as m
                    join zones z on z.id = m.zone_id
                    where m.peak > case z.plan when 'pro' then ? when 'business' then ? when 'enterprise' then ? else ? end
                    group by m.zone_id
                    having count(*) > ?) as over""",
                Long.class, UsageIngest.timestamp(clock.instant().minus(WINDOW)), v.medium(), v.high(), v.custom(), v.low(),
                threshold());
        metrics.zonesOverVolume(flagged == null ? 0 : flagged);
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return Envelope.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        if (!(body instanceof Envelope<?> envelope) || !envelope.success() || envelope.result() == null
                || !(request instanceof ServletServerHttpRequest servlet) || !isZoneGet(servlet.getServletRequest())) {
            return body;
        }
        Object zoneId = ((java.util.Map<?, ?>) servlet.getServletRequest()
                .getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)).get("zone_id");
        return of(String.valueOf(zoneId))
                .<Object>map(volume -> new Envelope<>(true, envelope.errors(), envelope.messages(),
                        new ZoneWithVolume(envelope.result(), volume), null))
                .orElse(body);
    }

    private static boolean isZoneGet(HttpServletRequest request) {
        return ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && ZONE_PATTERN.equals(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
    }
}
