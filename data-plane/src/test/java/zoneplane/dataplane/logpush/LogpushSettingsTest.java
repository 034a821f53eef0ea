package zoneplane.dataplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zoneplane.dataplane.config.ConfigException;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;

class LogpushSettingsTest {

    @Test
    void onWhereThereIsAControlPlaneOffOnASnapshotFile() {
        assertThat(DataPlaneConfig.defaults().logpush().active()).isFalse();
        LogpushSettings followed = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_CONTROL_PLANE_URL",
                "http://cp-1:8080,http://cp-2:8080", "ZONEPLANE_NODE_TOKEN", "t0ken")::get).logpush();
        assertThat(followed).isEqualTo(new LogpushSettings(true, List.of(URI.create("http://cp-1:8080"),
                URI.create("http://cp-2:8080")), Duration.ofSeconds(5), 100L << 20, Duration.ofHours(24), false, 65_536,
                Duration.ofSeconds(1), Duration.ofSeconds(60)));
    }

    @Test
    void everySettingIsReadAndPrivateDestinationsFollowThePrivateOriginsByDefault() {
        LogpushSettings set = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOGPUSH_URL", "http://logs-cp:9000",
                "ZONEPLANE_NODE_TOKEN", "t0ken", "ZONEPLANE_LOGPUSH_POLL_INTERVAL", "2s", "ZONEPLANE_LOGPUSH_SPOOL_MAX_MB", "8",
                "ZONEPLANE_LOGPUSH_SPOOL_MAX_AGE", "2h", "ZONEPLANE_LOGPUSH_QUEUE_SIZE", "1024",
                "ZONEPLANE_LOGPUSH_RETRY_MIN", "100ms", "ZONEPLANE_LOGPUSH_RETRY_MAX", "10s")::get).logpush();
        assertThat(set).isEqualTo(new LogpushSettings(true, List.of(URI.create("http://logs-cp:9000")), Duration.ofSeconds(2),
                8L << 20, Duration.ofHours(2), true, 1024, Duration.ofMillis(100), Duration.ofSeconds(10)));
        assertThat(DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOGPUSH_URL", "http://logs-cp:9000", "ZONEPLANE_NODE_TOKEN", "t",
                "ZONEPLANE_LOGPUSH_ALLOW_PRIVATE_DESTINATIONS", "false", "ZONEPLANE_LOGPUSH_ENABLED", "off")::get).logpush())
                .matches(s -> !s.allowPrivateDestinations() && !s.enabled() && !s.active());
    }

    @Test
    void badValuesStopTheNodeWithTheirName() {
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOGPUSH_URL", "http://logs-cp:9000")::get))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ZONEPLANE_LOGPUSH_URL is set but ZONEPLANE_NODE_TOKEN is not");
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOGPUSH_POLL_INTERVAL", "soon",
                "ZONEPLANE_LOGPUSH_SPOOL_MAX_MB", "0", "ZONEPLANE_LOGPUSH_URL", "ftp://x")::get))
                .hasMessageContaining("ZONEPLANE_LOGPUSH_POLL_INTERVAL must be a positive duration")
                .hasMessageContaining("ZONEPLANE_LOGPUSH_SPOOL_MAX_MB must be between 1 and 1000000, got 0")
                .hasMessageContaining("ZONEPLANE_LOGPUSH_URL must be an http(s) URL with a host");
    }
}
