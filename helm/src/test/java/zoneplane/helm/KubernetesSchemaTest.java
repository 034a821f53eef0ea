package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest the chart renders, for the defaults, each ci/ profile and with monitoring on, reads
 * into fabric8's Kubernetes API types (generated from the Kubernetes OpenAPI schema; the Prometheus
 * Operator's for ServiceMonitor and PrometheusRule) in strict mode: a wrong type fails to read, an
 * unknown kind reads as a generic resource, and a field the schema does not have lands in a type's
 * additionalProperties, all of which fail the test with the field's path.
 */
class KubernetesSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> releases() {
        List<Arguments> releases = new ArrayList<>();
        releases.add(Arguments.of("defaults", null, Map.of()));
        releases.add(Arguments.of("defaults with monitoring", null,
                Map.of("grafanaDashboards.enabled", true, "prometheusRule.enabled", true,
                        "serviceMonitor.enabled", true, "networkPolicy.enabled", true)));
        for (Path scenario : ZoneplaneChart.ciScenarios()) {
            releases.add(Arguments.of(scenario.getFileName().toString(), scenario, Map.of()));
        }
        return releases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void everyRenderedManifestMatchesTheKubernetesSchema(String name, Path values, Map<String, Object> sets) {
        RenderedRelease release = ZoneplaneChart.render(values, sets);

        assertThat(release.all()).isNotEmpty();
        assertThat(release.all().stream().flatMap(manifest -> violations(manifest).stream()).toList())
                .as("manifests of %s against the Kubernetes schema", name).isEmpty();
    }

    /** Strict mode can fail: a typo in a free-form value (a sidecar) is a field Kubernetes does not have. */
    @Test
    void aFieldKubernetesDoesNotHaveIsFound() {
        RenderedRelease release = ZoneplaneChart.render(null, Map.of(
                "controlPlane.sidecars[0].name", "shipper",
                "controlPlane.sidecars[0].image", "example/shipper:1",
                "controlPlane.sidecars[0].imagePullPolcy", "Always"));

        assertThat(violations(release.get("Deployment", ZoneplaneChart.FULLNAME + "-control-plane")))
                .containsExactly("Deployment/zp-zoneplane-control-plane: unknown field "
                        + "spec.template.spec.containers[1].imagePullPolcy");
    }

    @Test
    void aWrongTypeAndAnUnknownKindAreFound() {
        Manifest wrongType = new Manifest(Map.of("apiVersion", "v1", "kind", "Service",
                "metadata", Map.of("name", "s"), "spec", Map.of("ports", "80")));
        Manifest unknownKind = new Manifest(Map.of("apiVersion", "example.com/v1", "kind", "Widget",
                "metadata", Map.of("name", "w")));

        assertThat(violations(wrongType)).singleElement().asString().startsWith("Service/s: does not read as");
        assertThat(violations(unknownKind)).containsExactly("Widget/w: no schema for example.com/v1 Widget");
    }

    static List<String> violations(Manifest manifest) {
        KubernetesResource typed;
        try {
            typed = JSON.convertValue(manifest.body(), KubernetesResource.class);
        } catch (IllegalArgumentException e) {
            return List.of(manifest + ": does not read as " + manifest.body().get("apiVersion") + " "
                    + manifest.kind() + ": " + e.getMessage());
        }
        if (typed instanceof GenericKubernetesResource) {
            return List.of(manifest + ": no schema for " + manifest.body().get("apiVersion") + " " + manifest.kind());
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(typed, "", unknown);
        return unknown.stream().map(field -> manifest + ": unknown field " + field).toList();
    }

    /**
     * Walks the typed object through its JSON properties. fabric8's types keep what they do not know
     * in additionalProperties instead of failing, so any entry there is a field the schema lacks.
     */
    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, join(path, String.valueOf(key)), unknown));
        } else if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
        } else if (node != null && node.getClass().getName().startsWith("io.fabric8.")) {
            for (Class<?> type = node.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    if (field.getName().equals("additionalProperties")) {
                        Map<?, ?> extra = (Map<?, ?>) read(field, node);
                        if (extra != null) {
                            extra.keySet().forEach(key -> unknown.add(join(path, String.valueOf(key))));
                        }
                    } else if (field.isAnnotationPresent(JsonProperty.class)) {
                        collectUnknownFields(read(field, node),
                                join(path, field.getAnnotation(JsonProperty.class).value()), unknown);
                    }
                }
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
