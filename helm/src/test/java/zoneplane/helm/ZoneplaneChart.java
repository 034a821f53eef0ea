package zoneplane.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The chart under test, rendered in-process by helm-java (Helm's own Go code, no helm binary). Any
 * failure to load or run Helm propagates: a machine where Helm cannot run fails these tests rather
 * than skipping them.
 *
 * <p>helm-java's {@code template} prints the release manifest but not its hooks (the migration
 * Job, its Secret, the {@code helm test} pod), which {@code helm template} on the command line
 * does print. So rendering uses a copy of the chart whose templates spell the hook annotation keys
 * {@value #HOOK_STAND_IN} instead of {@value #HOOK_KEY}: Helm then treats hooks as ordinary
 * manifests, and the parsed output spells the keys back, exactly as the chart writes them.
 */
final class ZoneplaneChart {

    private static final String HOOK_KEY = "helm.sh/hook";
    private static final String HOOK_STAND_IN = "zoneplane.test/hook";
    private static Path renderableCopy;

    static final String RELEASE = "zp";
    static final String NAMESPACE = "edge";
    /**
     * The Kubernetes version the tests render for. Helm's own default (v1.20) is below the chart's
     * kubeVersion; this is a version the chart supports and whose API groups its templates use.
     */
    static final String KUBE_VERSION = "v1.31.0";
    /** Resource name prefix of release {@link #RELEASE}: "<release>-<chart>". */
    static final String FULLNAME = RELEASE + "-zoneplane";

    private ZoneplaneChart() {}

    /** The chart directory; the tests run with the helm module as working directory. */
    static Path directory() {
        Path chart = Path.of("zoneplane").toAbsolutePath();
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new IllegalStateException("chart not found at " + chart);
        }
        return chart;
    }

    /** The chart with hooks rendered as ordinary manifests (see the class comment). */
    private static synchronized Path renderableCopy() {
        if (renderableCopy == null) {
            Path source = directory();
            Path target = Path.of("target", "chart-under-test", "zoneplane").toAbsolutePath();
            try {
                if (Files.exists(target)) {
                    try (Stream<Path> old = Files.walk(target)) {
                        old.sorted(java.util.Comparator.reverseOrder()).forEach(ZoneplaneChart::delete);
                    }
                }
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path copy = target.resolve(source.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(copy);
                        } else if (source.relativize(file).startsWith("templates")) {
                            String text = Files.readString(file);
                            if (text.contains(HOOK_STAND_IN)) {
                                throw new IllegalStateException(file + " uses the test's stand-in " + HOOK_STAND_IN);
                            }
                            Files.writeString(copy, text.replace(HOOK_KEY, HOOK_STAND_IN));
                        } else {
                            Files.copy(file, copy);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot copy the chart to " + target, e);
            }
            renderableCopy = target;
        }
        return renderableCopy;
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ci/*-values.yaml scenarios, by file name. */
    static List<Path> ciScenarios() {
        try (Stream<Path> files = Files.list(directory().resolve("ci"))) {
            List<Path> scenarios = files
                    .filter(file -> file.getFileName().toString().endsWith("-values.yaml"))
                    .sorted()
                    .collect(Collectors.toList());
            if (scenarios.isEmpty()) {
                throw new IllegalStateException("no ci/*-values.yaml scenario in the chart");
            }
            return scenarios;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path ciScenario(String name) {
        Path file = directory().resolve("ci").resolve(name + "-values.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no scenario " + file);
        }
        return file;
    }

    /** Renders the chart with the defaults. */
    static RenderedRelease render() {
        return render(null, Map.of());
    }

    static RenderedRelease render(Path valuesFile) {
        return render(valuesFile, Map.of());
    }

    /**
     * Renders the chart like {@code helm template zp zoneplane -n edge -f valuesFile --set k=v},
     * hooks and test pods included.
     * Helm errors (template failures, schema violations) surface as the exception helm-java throws.
     */
    static RenderedRelease render(Path valuesFile, Map<String, Object> sets) {
        KubernetesApiStub.running();
        TemplateCommand command = new Helm(renderableCopy()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : new LinkedHashMap<>(sets).entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return RenderedRelease.parse(command.call().replace(HOOK_STAND_IN, HOOK_KEY));
    }
}
