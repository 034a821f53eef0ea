package zoneplane.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path the child JVMs run with: this test JVM's own (so the planes' classes and every
 * dependency are exactly the reactor's), with two corrections. Surefire may hide the real path in a
 * manifest-only booter jar, which is unwrapped; and once {@code package} ran, the control plane's
 * artifact is Spring Boot's repackaged jar (classes under {@code BOOT-INF/}, not loadable from a
 * plain class path), which is replaced by that module's {@code target/classes}.
 */
final class ChildClasspath {

    private static volatile String cached;

    private ChildClasspath() {}

    static String get() {
        String cp = cached;
        if (cp == null) {
            cp = build(System.getProperty("java.class.path"));
            cached = cp;
        }
        return cp;
    }

    private static String build(String raw) {
        List<String> entries = new ArrayList<>();
        for (String entry : raw.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            if (path.getFileName().toString().startsWith("surefirebooter") && entry.endsWith(".jar")) {
                entries.addAll(manifestClassPath(path));
            } else {
                entries.add(entry);
            }
        }
        List<String> fixed = new ArrayList<>();
        for (String entry : entries) {
            fixed.add(unrepackaged(Path.of(entry)).toString());
        }
        return String.join(File.pathSeparator, fixed);
    }

    private static List<String> manifestClassPath(Path booter) {
        try (JarFile jar = new JarFile(booter.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            List<String> out = new ArrayList<>();
            if (classPath != null) {
                for (String url : classPath.trim().split("\\s+")) {
                    out.add(Path.of(java.net.URI.create(url.startsWith("file:") ? url : "file:" + url)).toString());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read surefire's booter jar " + booter, e);
        }
    }

    /** A Spring Boot fat jar in a module's target/ → that module's target/classes. */
    private static Path unrepackaged(Path entry) {
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return entry;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            if (jar.getEntry("BOOT-INF/classes/") == null) {
                return entry;
            }
        } catch (IOException e) {
            return entry;
        }
        Path classes = entry.resolveSibling("classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("the class path holds the repackaged jar " + entry
                    + " but its module has no target/classes next to it");
        }
        return classes;
    }
}
