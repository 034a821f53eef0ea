package zoneplane.helm;

import java.lang.reflect.RecordComponent;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

/**
 * The ports and paths the applications serve, read from their own constant classes
 * ({@code zoneplane.controlplane.ControlPlaneEndpoints}, {@code zoneplane.dataplane.config.DataPlaneEndpoints}),
 * and the fields of the API response the {@code helm test} script reads.
 *
 * <p>Read reflectively rather than compiled against: from {@code mvn package} on, the reactor hands
 * this module the control plane's Spring Boot jar, whose classes sit under {@code BOOT-INF/classes/}
 * where neither javac nor the test class loader look. Both layouts are found here; a renamed or
 * missing constant fails the tests.
 */
final class ApplicationEndpoints {

    record ControlPlane(int port, String liveness, String readiness, String prometheus) {}

    record DataPlane(int httpPort, int httpsPort, int managementPort, String liveness, String readiness,
            String metrics) {}

    private ApplicationEndpoints() {}

    static ControlPlane controlPlane() {
        Class<?> endpoints = load("zoneplane.controlplane.ControlPlaneEndpoints");
        return new ControlPlane(
                (Integer) constant(endpoints, "PORT"),
                (String) constant(endpoints, "LIVENESS_PATH"),
                (String) constant(endpoints, "READINESS_PATH"),
                (String) constant(endpoints, "PROMETHEUS_PATH"));
    }

    static DataPlane dataPlane() {
        Class<?> endpoints = load("zoneplane.dataplane.config.DataPlaneEndpoints");
        return new DataPlane(
                (Integer) constant(endpoints, "HTTP_PORT"),
                (Integer) constant(endpoints, "HTTPS_PORT"),
                (Integer) constant(endpoints, "MANAGEMENT_PORT"),
                (String) constant(endpoints, "LIVENESS_PATH"),
                (String) constant(endpoints, "READINESS_PATH"),
                (String) constant(endpoints, "METRICS_PATH"));
    }

    /**
     * The JSON field names of {@code GET /zones/{id}/propagation}'s result and of one of its nodes: the
     * component names of the control plane's {@code ZonePropagation} and {@code NodeProgress} records,
     * which Jackson writes as they are.
     */
    record PropagationFields(List<String> result, List<String> node) {}

    static PropagationFields propagationFields() {
        String controller = "zoneplane.controlplane.distribution.PropagationController";
        return new PropagationFields(componentNames(load(controller + "$ZonePropagation")),
                componentNames(load(controller + "$NodeProgress")));
    }

    private static List<String> componentNames(Class<?> record) {
        if (!record.isRecord()) {
            throw new IllegalStateException(record.getName() + " is no longer a record");
        }
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private static Object constant(Class<?> type, String name) {
        try {
            return type.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " has no public constant " + name, e);
        }
    }

    private static Class<?> load(String className) {
        ClassLoader loader = ApplicationEndpoints.class.getClassLoader();
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException notOnClassPath) {
            String nested = "BOOT-INF/classes/" + className.replace('.', '/') + ".class";
            URL classFile = loader.getResource(nested);
            if (classFile == null) {
                throw new IllegalStateException(className + " is neither on the test class path nor inside "
                        + "a Spring Boot jar on it: is the module a dependency of helm/pom.xml?", notOnClassPath);
            }
            String url = classFile.toString();
            try {
                URL root = new URL(url.substring(0, url.length() - nested.length()) + "BOOT-INF/classes/");
                return Class.forName(className, true, new URLClassLoader(new URL[] {root}, null));
            } catch (MalformedURLException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot load " + className + " from " + url, e);
            }
        }
    }
}
