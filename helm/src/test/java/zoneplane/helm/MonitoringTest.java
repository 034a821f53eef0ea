package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Grafana dashboards and the PrometheusRule: off by default, found by Grafana's sidecar, every
 * rule accepted by {@code promtool check rules}, and every query naming only metrics the
 * applications really export ({@link ExportedMetrics}).
 */
class MonitoringTest {

    private static final Map<String, Object> MONITORING_ON =
            Map.of("grafanaDashboards.enabled", true, "prometheusRule.enabled", true);
    private static final Set<String> DASHBOARDS =
            Set.of("fleet-overview", "zone-traffic", "propagation", "control-plane-api", "postgresql-pool");

    @Test
    void bothAreOffByDefault() {
        RenderedRelease release = ZoneplaneChart.render();

        assertThat(release.ofKind("PrometheusRule")).isEmpty();
        assertThat(release.ofKind("ConfigMap")).extracting(Manifest::name).noneMatch(n -> n.contains("dashboard"));
    }

    @Test
    void eachDashboardIsAConfigMapWithTheSidecarLabelAndValidJson() {
        List<Manifest> dashboards = dashboardConfigMaps(ZoneplaneChart.render(null, MONITORING_ON));

        assertThat(dashboards).extracting(Manifest::name)
                .containsExactlyInAnyOrderElementsOf(DASHBOARDS.stream()
                        .map(d -> ZoneplaneChart.FULLNAME + "-dashboard-" + d).toList());
        Set<String> uids = new TreeSet<>();
        for (Manifest dashboard : dashboards) {
            assertThat(dashboard.map("metadata.labels")).containsEntry("grafana_dashboard", "1");
            Map<String, Object> json = dashboardJson(dashboard);
            assertThat(json).containsKeys("title", "uid", "panels", "templating");
            uids.add((String) json.get("uid"));
            assertThat(queries(json)).as(dashboard.name()).isNotEmpty();
        }
        assertThat(uids).as("dashboard uids are unique").hasSize(DASHBOARDS.size());
    }

    @Test
    void theSidecarLabelAndNamespaceFollowTheValues() {
        Map<String, Object> sets = new LinkedHashMap<>(MONITORING_ON);
        sets.put("grafanaDashboards.label", "grafana_dashboard_zoneplane");
        sets.put("grafanaDashboards.labelValue", "yes");
        sets.put("grafanaDashboards.namespace", "monitoring");

        for (Manifest dashboard : dashboardConfigMaps(ZoneplaneChart.render(null, sets))) {
            assertThat(dashboard.map("metadata.labels")).containsEntry("grafana_dashboard_zoneplane", "yes");
            assertThat(dashboard.at("metadata.namespace")).isEqualTo("monitoring");
        }
    }

    @Test
    void everyDashboardQueryAndRuleNamesAMetricTheApplicationsExport() {
        RenderedRelease release = ZoneplaneChart.render(null, MONITORING_ON);
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Manifest dashboard : dashboardConfigMaps(release)) {
            List<String> queries = queries(dashboardJson(dashboard));
            for (int i = 0; i < queries.size(); i++) {
                expressions.put(dashboard.name() + " query " + i, queries.get(i));
            }
        }
        for (Map<String, Object> rule : rules(release)) {
            expressions.put("alert " + rule.get("alert"), String.valueOf(rule.get("expr")));
        }

        Set<String> exported = ExportedMetrics.names();
        List<String> unknown = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        expressions.forEach((where, expr) -> {
            Set<String> names = new PromQlExpression(expr).metricNames();
            assertThat(names).as("%s selects no metric: %s", where, expr).isNotEmpty();
            used.addAll(names);
            names.stream().filter(n -> !exported.contains(n)).forEach(n -> unknown.add(where + ": " + n));
        });

        assertThat(unknown).as("metric names no application exports (exported: %s)", exported).isEmpty();
        assertThat(used).as("the dashboards cover both planes and the pool")
                .contains("zoneplane_edge_requests_total", "zoneplane_config_revision_lag",
                        "http_server_requests_seconds_count", "hikaricp_connections_active");
    }

    /** The check above can fail: names the applications do not export are caught, built-ins are not names. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sum(rate(zoneplane_edge_request_total[5m]))|zoneplane_edge_request_total",
        "zoneplane_config_revision_lag_seconds > 0|zoneplane_config_revision_lag_seconds",
        "hikaricp_connections_usage_total{pool=\"a\"} offset 1h|hikaricp_connections_usage_total",
        "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_bucket{uri=~\"/x\"}[5m])))"
                + "|http_server_requests_bucket",
    })
    void aMisspelledMetricIsFound(String expr, String misspelled) {
        Set<String> names = new PromQlExpression(expr).metricNames();

        assertThat(names).containsExactly(misspelled);
        assertThat(ExportedMetrics.names()).doesNotContain(misspelled);
    }

    @Test
    void promtoolAcceptsEveryRule() throws IOException, InterruptedException {
        assumeTrue(YamllintTest.onPath("promtool"), "promtool is not installed (Debian package prometheus; bin/install-test-deps "
                + "installs it): the PrometheusRule expressions are not checked");
        Manifest rule = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production")).ofKind("PrometheusRule").get(0);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = Files.createDirectories(Path.of("target", "monitoring")).resolve("zoneplane-rules.yaml");
        Files.writeString(file, new Yaml(options).dump(Map.of("groups", rule.map("spec").get("groups"))));

        Process promtool = new ProcessBuilder("promtool", "check", "rules", file.toString())
                .redirectErrorStream(true).start();
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(promtool.exitValue()).as("promtool check rules %s:%n%s", file, output).isZero();
        assertThat(output).contains("SUCCESS: " + rules(ZoneplaneChart.render(ZoneplaneChart.ciScenario("production")))
                .size() + " rules found");
    }

    @Test
    void extraRulesAndAlertLabelsAreRendered() {
        Map<String, Object> sets = new LinkedHashMap<>(MONITORING_ON);
        sets.put("prometheusRule.additionalLabels.team", "edge");
        sets.put("prometheusRule.extraRules[0].alert", "ZoneplaneNoTraffic");
        sets.put("prometheusRule.extraRules[0].expr", "sum(rate(zoneplane_edge_requests_total[10m])) == 0");
        List<Map<String, Object>> rules = rules(ZoneplaneChart.render(null, sets));

        assertThat(rules).extracting(r -> r.get("alert")).contains("ZoneplaneNoTraffic", "ZoneplaneDatabaseUnreachable");
        assertThat(rules).filteredOn(r -> r.containsKey("labels"))
                .allSatisfy(r -> assertThat(Manifest.asMap(r.get("labels"))).containsEntry("team", "edge"));
    }

    private static List<Manifest> dashboardConfigMaps(RenderedRelease release) {
        return release.ofKind("ConfigMap").stream().filter(m -> m.name().contains("-dashboard-")).toList();
    }

    private static Map<String, Object> dashboardJson(Manifest configMap) {
        Map<String, Object> data = configMap.map("data");
        assertThat(data).hasSize(1);
        String json = (String) data.values().iterator().next();
        // JSON is YAML: the same safe loader reads it, and fails on a syntax error.
        return Manifest.asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(json));
    }

    /** Every "expr" in a dashboard: panel targets and query variables. */
    private static List<String> queries(Object node) {
        List<String> found = new ArrayList<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("expr".equals(key) && value instanceof String expr) {
                    found.add(expr);
                } else if ("query".equals(key) && value instanceof Map<?, ?> query
                        && query.get("query") instanceof String variable) {
                    found.add(variable.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
                } else {
                    found.addAll(queries(value));
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> found.addAll(queries(item)));
        }
        return found;
    }

    private static List<Map<String, Object>> rules(RenderedRelease release) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Manifest rule : release.ofKind("PrometheusRule")) {
            for (Map<String, Object> group : Manifest.list(rule.map("spec"), "groups")) {
                rules.addAll(Manifest.list(group, "rules"));
            }
        }
        return rules;
    }
}
