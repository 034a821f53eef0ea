package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node as deployed (its own JVM running {@link DataPlaneMain}) refuses a control-plane list with a
 * bad entry: exit status 2 and a message naming the entry, before it binds anything.
 */
class BadControlPlaneUrlExitTest {

    @TempDir
    Path dir;

    @Test
    void aListWithABadEntryExitsWithStatus2NamingIt() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                DataPlaneMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile());
        builder.environment().put("ZONEPLANE_CONTROL_PLANE_URL", "http://127.0.0.1:9,tcp://cp-2:8080");
        builder.environment().put("ZONEPLANE_NODE_TOKEN", "exit-test");
        builder.environment().put("ZONEPLANE_NODE_ID", "exit-test");
        builder.environment().put("ZONEPLANE_CACHE_DIR", dir.resolve("cache").toString());
        builder.environment().put("ZONEPLANE_BIND_ADDRESS", "127.0.0.1");
        builder.environment().put("ZONEPLANE_HTTP_PORT", "0");
        builder.environment().put("ZONEPLANE_HTTPS_PORT", "0");
        builder.environment().put("ZONEPLANE_MANAGEMENT_PORT", "0");
        Process node = builder.start();
        try {
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the node exits").isTrue();
            String output = Files.readString(dir.resolve("node.log"), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("ZONEPLANE_CONTROL_PLANE_URL: entry 2, 'tcp://cp-2:8080', is not an http(s) URL");
        } finally {
            node.destroyForcibly();
        }
    }
}
