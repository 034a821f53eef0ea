package zoneplane.helm;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** One rendered Kubernetes object, navigated by dotted paths ("spec.template.spec"). */
record Manifest(Map<String, Object> body) {

    private static final Set<String> POD_CONTROLLERS =
            Set.of("Deployment", "DaemonSet", "StatefulSet", "Job");

    String kind() {
        return (String) body.get("kind");
    }

    String name() {
        return (String) map("metadata").get("name");
    }

    Map<String, Object> annotations() {
        Object annotations = map("metadata").get("annotations");
        return annotations == null ? Map.of() : asMap(annotations);
    }

    boolean isWorkload() {
        return POD_CONTROLLERS.contains(kind()) || "Pod".equals(kind());
    }

    /** The pod spec of a workload. */
    Map<String, Object> podSpec() {
        return "Pod".equals(kind()) ? map("spec") : map("spec.template.spec");
    }

    /** Containers and init containers of a workload's pod spec. */
    List<Map<String, Object>> allContainers() {
        Map<String, Object> spec = podSpec();
        List<Map<String, Object>> containers = new java.util.ArrayList<>(list(spec, "containers"));
        if (spec.containsKey("initContainers")) {
            containers.addAll(list(spec, "initContainers"));
        }
        return containers;
    }

    Map<String, Object> container(String name) {
        return list(podSpec(), "containers").stream()
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + name()));
    }

    Object at(String path) {
        Object node = body;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map)) {
                throw new AssertionError(kind() + " " + name() + ": no " + path);
            }
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    Map<String, Object> map(String path) {
        Object node = at(path);
        if (node == null) {
            throw new AssertionError(kind() + " " + name() + ": no " + path);
        }
        return asMap(node);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object node = parent.get(key);
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
