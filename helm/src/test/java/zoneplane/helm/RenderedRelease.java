package zoneplane.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The manifests of one {@code helm template} run, parsed, with look-ups the tests need. */
final class RenderedRelease {

    private final String text;
    private final List<Manifest> manifests;

    private RenderedRelease(String text, List<Manifest> manifests) {
        this.text = text;
        this.manifests = manifests;
    }

    @SuppressWarnings("unchecked")
    static RenderedRelease parse(String text) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Manifest> manifests = new ArrayList<>();
        for (Object document : yaml.loadAll(text)) {
            if (document != null) {
                manifests.add(new Manifest((Map<String, Object>) document));
            }
        }
        return new RenderedRelease(text, List.copyOf(manifests));
    }

    String text() {
        return text;
    }

    List<Manifest> all() {
        return manifests;
    }

    List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).collect(Collectors.toList());
    }

    Optional<Manifest> find(String kind, String name) {
        return manifests.stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .findFirst();
    }

    /** The manifest of that kind and name, or an error listing what was rendered. */
    Manifest get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(
                "no " + kind + " " + name + " rendered; rendered: " + manifests));
    }

    /** Deployments, DaemonSets, StatefulSets, Jobs and Pods: everything that becomes a pod. */
    List<Manifest> workloads() {
        return manifests.stream().filter(Manifest::isWorkload).collect(Collectors.toList());
    }
}
