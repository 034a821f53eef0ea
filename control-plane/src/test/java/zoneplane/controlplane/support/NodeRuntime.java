package zoneplane.controlplane.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Whether the tests that drive npm tools (the Cloudflare SDK, the OpenAPI linter) can run here. */
public final class NodeRuntime {

    private NodeRuntime() {}

    /** True when {@code node --version} runs and succeeds within 20 s. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How a node run ended: within the time or not, its exit code (-1 if killed) and its output. */
    public record Run(boolean finished, int exitCode, String output) {}

    /**
     * Runs {@code node args…} in {@code directory} with extra environment variables, output and
     * errors merged, and kills it after {@code timeoutSeconds}.
     */
    public static Run run(File directory, Map<String, String> environment, int timeoutSeconds, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("node"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process node = builder.start();
        boolean finished = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(finished, finished ? node.exitValue() : -1, output);
    }
}
