package zoneplane.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zoneplane.dataplane.usage.UsageSettings;
import zoneplane.model.Plan;

class DataPlaneConfigLoaderTest {

    @Test
    void defaultsFollowTheSpec() {
        DataPlaneConfig config = DataPlaneConfig.defaults();

        assertThat(config.httpPort()).isEqualTo(DataPlaneEndpoints.HTTP_PORT).isEqualTo(8000);
        assertThat(config.httpsPort()).isEqualTo(8443);
        assertThat(config.managementPort()).isEqualTo(9000);
        assertThat(config.bindAddress()).isEqualTo("::");
        assertThat(config.geoipFiles()).containsExactly(Path.of("/usr/share/tor/geoip"), Path.of("/usr/share/tor/geoip6"));
        assertThat(config.trustedProxies()).isEmpty();
        assertThat(config.proxyProtocol()).isFalse();
        assertThat(config.tlsEnabled()).isFalse();
        assertThat(config.cdnLoopLimit()).isEqualTo(1);
        assertThat(config.websocketIdleTimeout(Plan.FREE)).isEqualTo(Duration.ofSeconds(100));
        assertThat(config.websocketIdleTimeout(Plan.PRO)).isEqualTo(Duration.ofSeconds(100));
        assertThat(config.websocketIdleTimeout(Plan.BUSINESS)).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.websocketIdleTimeout(Plan.ENTERPRISE)).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.requestBodyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.jsonAccessLog()).isFalse();
    }

    @Test
    void webSocketLimitsAreCountOnlyByDefaultAndParsedPerPlan() {
        DataPlaneConfig defaults = DataPlaneConfig.defaults();
        assertThat(defaults.websocketLimitEnforced()).isFalse();
        assertThat(defaults.websocketLimits()).containsEntry(Plan.FREE, 100).containsEntry(Plan.ENTERPRISE, 10_000);

        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_WEBSOCKET_LIMIT_ENFORCED", "true",
                "ZONEPLANE_WEBSOCKET_LIMITS", "free=5, Business=50")::get);
        assertThat(config.websocketLimitEnforced()).isTrue();
        assertThat(config.websocketLimits()).containsEntry(Plan.FREE, 5).containsEntry(Plan.BUSINESS, 50)
                .containsEntry(Plan.PRO, 500);

        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_WEBSOCKET_LIMITS", "gold=5,pro=0")::get))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2))
                .hasMessageContaining("ZONEPLANE_WEBSOCKET_LIMITS must list plan=count pairs")
                .hasMessageContaining("got 'gold=5'");
    }

    @Test
    void eventLoopsAreOnePerCoreAndSleepUnlessConfigured() {
        EventLoopSettings defaults = DataPlaneConfig.defaults().eventLoops();
        assertThat(defaults.count()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.busyPoll()).isFalse();

        EventLoopSettings set = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_EVENT_LOOPS", "3",
                "ZONEPLANE_BUSY_POLL", "true")::get).eventLoops();
        assertThat(set).isEqualTo(new EventLoopSettings(3, true));

        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_EVENT_LOOPS", "0",
                "ZONEPLANE_BUSY_POLL", "sometimes")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_EVENT_LOOPS must be between 1 and 1024, got 0")
                .hasMessageContaining("ZONEPLANE_BUSY_POLL");
    }

    @Test
    void usageIsAccountedEverywhereAndShippedWhereThereIsAControlPlaneOrAUsageUrl() {
        UsageSettings snapshot = DataPlaneConfig.defaults().usage();
        assertThat(snapshot.enabled()).isTrue();
        assertThat(snapshot.shipping()).as("snapshot file, no control plane").isFalse();
        assertThat(snapshot.groupLimit()).isEqualTo(1000);

        UsageSettings following = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_CONTROL_PLANE_URL",
                "http://cp-1:8080,http://cp-2:8080", "ZONEPLANE_NODE_TOKEN", "t0ken")::get).usage();
        assertThat(following.targets()).containsExactly(URI.create("http://cp-1:8080"), URI.create("http://cp-2:8080"));
        assertThat(following.shipping()).isTrue();

        UsageSettings set = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_USAGE_URL", "http://usage:9000",
                "ZONEPLANE_NODE_TOKEN", "t0ken", "ZONEPLANE_USAGE_SPOOL_MAX_MB", "8", "ZONEPLANE_USAGE_SPOOL_MAX_AGE", "2h",
                "ZONEPLANE_USAGE_GROUP_LIMIT", "50", "ZONEPLANE_USAGE_MAX_REPORT_KB", "512",
                "ZONEPLANE_USAGE_ENABLED", "false")::get).usage();
        assertThat(set).isEqualTo(new UsageSettings(false, List.of(URI.create("http://usage:9000")), 8L << 20,
                Duration.ofHours(2), 50, 5000, 512L << 10, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertThat(set.shipping()).isFalse();

        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_USAGE_URL", "http://usage:9000")::get))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ZONEPLANE_NODE_TOKEN");
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_USAGE_URL", "ftp://usage",
                "ZONEPLANE_NODE_TOKEN", "t")::get)).isInstanceOf(ConfigException.class).hasMessageContaining("ZONEPLANE_USAGE_URL");
    }

    @Test
    void privateOriginsAreAllowedOnlyForASnapshotNodeUnlessConfigured() {
        assertThat(DataPlaneConfig.defaults().allowPrivateOrigins()).as("snapshot file (no control plane)").isTrue();
        Map<String, String> following = Map.of("ZONEPLANE_CONTROL_PLANE_URL", "http://cp:8080", "ZONEPLANE_NODE_TOKEN", "t0ken");
        assertThat(DataPlaneConfigLoader.load(following::get).allowPrivateOrigins()).isFalse();
        Map<String, String> allowed = new java.util.HashMap<>(following);
        allowed.put("ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true");
        assertThat(DataPlaneConfigLoader.load(allowed::get).allowPrivateOrigins()).isTrue();
        assertThat(DataPlaneConfigLoader.load(Map.of("ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "false")::get).allowPrivateOrigins())
                .isFalse();
    }

    @Test
    void keepAliveIs75SecondsAndThePlainHttp1PathIsOnUnlessConfigured() {
        DataPlaneConfig defaults = DataPlaneConfig.defaults();
        assertThat(defaults.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(defaults.http1FastPath()).isTrue();

        DataPlaneConfig set = DataPlaneConfigLoader.load(Map.of("ZONEPLANE_KEEPALIVE_TIMEOUT", "20s",
                "ZONEPLANE_HTTP1_FAST_PATH", "false")::get);
        assertThat(set.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(set.http1FastPath()).isFalse();

        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_KEEPALIVE_TIMEOUT", "-1s",
                "ZONEPLANE_HTTP1_FAST_PATH", "maybe")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_KEEPALIVE_TIMEOUT must be a positive duration")
                .hasMessageContaining("ZONEPLANE_HTTP1_FAST_PATH");
    }

    @Test
    void theAccessLogIsJsonOrOff() {
        assertThat(DataPlaneConfigLoader.load(Map.of("ZONEPLANE_ACCESS_LOG", "JSON")::get).jsonAccessLog()).isTrue();
        assertThat(DataPlaneConfigLoader.load(Map.of("ZONEPLANE_ACCESS_LOG", "off")::get).jsonAccessLog()).isFalse();
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_ACCESS_LOG", "combined")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_ACCESS_LOG must be json or off, got 'combined'");
    }

    @Test
    void theLogFormatIsTextOrEcsAndAnythingElseStopsTheNode() {
        DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOG_FORMAT", "ECS")::get);
        DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOG_FORMAT", "text")::get);
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_LOG_FORMAT", "json")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_LOG_FORMAT must be text or ecs, got 'json'");
    }

    @Test
    void slowClientTimeoutsAreDurationsAndBadOnesAreNamed() {
        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                "ZONEPLANE_REQUEST_HEADER_TIMEOUT", "2500ms", "ZONEPLANE_REQUEST_BODY_TIMEOUT", "PT1M")::get);

        assertThat(config.requestHeaderTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.requestBodyTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of(
                "ZONEPLANE_REQUEST_HEADER_TIMEOUT", "ten", "ZONEPLANE_REQUEST_BODY_TIMEOUT", "0s")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_REQUEST_HEADER_TIMEOUT must be a positive duration such as 30s")
                .hasMessageContaining("got 'ten'")
                .hasMessageContaining("ZONEPLANE_REQUEST_BODY_TIMEOUT must be a positive duration");
    }

    @Test
    void valuesAreReadAndParsed(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Map<String, String> env = new HashMap<>();
        env.put("ZONEPLANE_HTTP_PORT", "8080");
        env.put("ZONEPLANE_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32,192.0.2.1");
        env.put("ZONEPLANE_ORIGIN_RESPONSE_TIMEOUT", "500ms");
        env.put("ZONEPLANE_WEBSOCKET_IDLE_TIMEOUT_FREE_PRO", "2m");
        env.put("ZONEPLANE_DRAIN_TIMEOUT", "PT5S");
        env.put("ZONEPLANE_TLS_CERT_FILE", cert.toString());
        env.put("ZONEPLANE_TLS_KEY_FILE", key.toString());
        env.put("ZONEPLANE_ONION_ADDRESS", "CFLAREUB6DTU7NVS3KQMOIGCJDWAP2AZRKX5ZOHB2YK7GQJKWOYOTWQD.onion");
        env.put("ZONEPLANE_PROXY_PROTOCOL", "on");
        env.put("ZONEPLANE_GEOIP_FILES", "/a.mmdb, /b");

        DataPlaneConfig config = DataPlaneConfigLoader.load(env::get);

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.trustedProxies()).hasSize(3);
        assertThat(config.originResponseTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.websocketIdleStandard()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.tlsEnabled()).isTrue();
        assertThat(config.onionAddress()).hasValue("cflareub6dtu7nvs3kqmoigcjdwap2azrkx5zohb2yk7gqjkwoyotwqd.onion");
        assertThat(config.proxyProtocol()).isTrue();
        assertThat(config.geoipFiles()).containsExactly(Path.of("/a.mmdb"), Path.of("/b"));
    }

    @Test
    void everyProblemIsReportedTogetherNamingTheVariable() {
        Map<String, String> env = Map.of(
                "ZONEPLANE_HTTP_PORT", "eighty",
                "ZONEPLANE_MANAGEMENT_PORT", "70000",
                "ZONEPLANE_TRUSTED_PROXIES", "10.0.0.0/33,proxy.example",
                "ZONEPLANE_ORIGIN_CONNECT_TIMEOUT", "soon",
                "ZONEPLANE_ONION_ADDRESS", "example.com",
                "ZONEPLANE_NODE_ID", "bad id!",
                "ZONEPLANE_TLS_CERT_FILE", "/does/not/exist.pem",
                "ZONEPLANE_SNAPSHOT_FILE", "/does/not/exist.json",
                "ZONEPLANE_PROXY_PROTOCOL", "maybe");

        assertThatThrownBy(() -> DataPlaneConfigLoader.load(env::get))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(11))
                .hasMessageContaining("ZONEPLANE_HTTP_PORT must be a whole number, got 'eighty'")
                .hasMessageContaining("ZONEPLANE_MANAGEMENT_PORT must be between 0 and 65535")
                .hasMessageContaining("prefix length of '10.0.0.0/33' must be 0..32")
                .hasMessageContaining("not an IP address or CIDR block: 'proxy.example'")
                .hasMessageContaining("ZONEPLANE_ORIGIN_CONNECT_TIMEOUT must be a positive duration")
                .hasMessageContaining("ZONEPLANE_ONION_ADDRESS must be a v3 onion host name")
                .hasMessageContaining("ZONEPLANE_NODE_ID must be 1-32 characters")
                .hasMessageContaining("ZONEPLANE_TLS_CERT_FILE names a file that does not exist")
                .hasMessageContaining("must be set together")
                .hasMessageContaining("ZONEPLANE_SNAPSHOT_FILE names a file that does not exist")
                .hasMessageContaining("ZONEPLANE_PROXY_PROTOCOL must be true or false");
    }

    @Test
    void aControlPlaneUrlNeedsTheNodeTokenWhichIsNeverPrinted() {
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_CONTROL_PLANE_URL", "http://cp:8080")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_NODE_TOKEN");

        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                "ZONEPLANE_CONTROL_PLANE_URL", "http://cp:8080", "ZONEPLANE_NODE_TOKEN", "s3cret-node-token")::get);

        assertThat(config.nodeToken()).contains("s3cret-node-token");
        assertThat(config.toString()).doesNotContain("s3cret-node-token").contains("nodeToken=<set>");
    }

    @Test
    void aCommaSeparatedListNamesSeveralControlPlaneReplicasInOrder() {
        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                "ZONEPLANE_CONTROL_PLANE_URL", " http://cp-1:8080 ,https://cp-2.example.net/,http://[::1]:9090/prefix",
                "ZONEPLANE_NODE_TOKEN", "t")::get);

        assertThat(config.controlPlaneUrls()).containsExactly(URI.create("http://cp-1:8080"),
                URI.create("https://cp-2.example.net/"), URI.create("http://[::1]:9090/prefix"));
        assertThat(config.controlPlaneHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(DataPlaneConfigLoader.load(Map.of("ZONEPLANE_CONTROL_PLANE_URL", "http://cp:8080",
                "ZONEPLANE_NODE_TOKEN", "t", "ZONEPLANE_CONTROL_PLANE_HEARTBEAT_TIMEOUT", "3s")::get)
                .controlPlaneHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(DataPlaneConfig.defaults().controlPlaneUrls()).isEmpty();
    }

    /** Each bad entry of the list is named with its position; the node exits with status 2 on any (DataPlaneMain). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://cp-1:8080,ftp://cp-2:21            | entry 2, 'ftp://cp-2:21', is not an http(s) URL with a host",
            "http://cp-1:8080,cp-2:8080                | entry 2, 'cp-2:8080', is not an http(s) URL with a host",
            "http://cp-1:8080;http://cp-2:8080         | entry 1, 'http://cp-1:8080;http://cp-2:8080', is not an http(s) URL",
            "http://cp-1:8080,,http://cp-2:8080        | entry 2 of 'http://cp-1:8080,,http://cp-2:8080' is empty",
            "'http://cp-1:8080,'                       | entry 2 of 'http://cp-1:8080,' is empty",
            "http://cp 1:8080                          | entry 1, 'http://cp 1:8080', is not an http(s) URL with a host",
            "http://user:pw@cp-1:8080                  | entry 1, 'http://user:pw@cp-1:8080', is not an http(s) URL",
            "http://cp-1:8080/?x=1                     | entry 1, 'http://cp-1:8080/?x=1', is not an http(s) URL",
            "http://cp-1:8080,http://cp-1:8080         | entry 2, 'http://cp-1:8080', is listed twice",
            "http:///nohost                            | entry 1, 'http:///nohost', is not an http(s) URL with a host",
    })
    void aBadControlPlaneUrlEntryIsNamed(String value, String problem) {
        assertThatThrownBy(() -> DataPlaneConfigLoader.load(Map.of("ZONEPLANE_CONTROL_PLANE_URL", value,
                "ZONEPLANE_NODE_TOKEN", "t")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZONEPLANE_CONTROL_PLANE_URL: " + problem);
    }

    @Test
    void durationsTakeUnitsOrIso() {
        assertThat(ConfigValues.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigValues.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigValues.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigValues.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ConfigValues.parseDuration("1d")).isNull();
        assertThat(ConfigValues.parseDuration("")).isNull();
    }
}
