package zoneplane.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's memory from outside: live heap after a full GC ({@code jcmd <pid> GC.run}, then
 * {@code GC.heap_info}, summing the generations' "used") and resident set size ({@code /proc}).
 * The node's {@code /metrics} carries no JVM memory meters, so the JDK's own tool reads the heap.
 */
final class NodeMemory {

    private static final Pattern USED = Pattern.compile("generation\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private NodeMemory() {}

    record Sample(long liveHeapBytes, long rssBytes) {
        @Override
        public String toString() {
            return String.format("live heap %.1f MB, RSS %.1f MB", liveHeapBytes / 1048576.0, rssBytes / 1048576.0);
        }
    }

    static Sample of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long used = 0;
        Matcher m = USED.matcher(info);
        while (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
        }
        if (used == 0) {
            throw new IOException("could not read the heap of " + pid + ": " + info);
        }
        return new Sample(used, rss(pid));
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
