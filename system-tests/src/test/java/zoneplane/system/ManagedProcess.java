package zoneplane.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of the system under test ({@code java -cp <this JVM's class path> ParentBoundLauncher
 * <this JVM's pid> <main>}) with its own environment, its output appended to
 * {@code target/system-logs/<name>.log}. It can be stopped
 * the way an orchestrator does (SIGTERM via {@link #terminate}), killed ({@link #kill}: SIGKILL) and
 * started again with the same command and environment. A JVM-wide shutdown hook kills every child
 * still running when the test JVM exits, even when a test aborts; and every child runs through
 * {@link ParentBoundLauncher}, so it exits by itself when the test JVM is SIGKILLed (no hook runs then).
 */
final class ManagedProcess {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "system-test-process-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private volatile Process process;

    ManagedProcess(String name, String mainClass, List<String> jvmOptions, Map<String, String> env, Path logDir) {
        this.name = name;
        this.env = Map.copyOf(env);
        this.log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(ChildClasspath.get());
        cmd.addAll(List.of(ParentBoundLauncher.command(mainClass)));
        this.command = List.copyOf(cmd);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== " + name + " starting at " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command);
            // Hermetic: nothing of the developer's own Zoneplane / Spring environment leaks into a child.
            builder.environment().keySet().removeIf(k -> k.startsWith("ZONEPLANE_") || k.startsWith("SPRING_")
                    || k.startsWith("SERVER_") || k.equals("JAVA_TOOL_OPTIONS"));
            builder.environment().putAll(env);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process started = builder.start();
            RUNNING.add(started);
            process = started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** SIGTERM, then waits up to {@code grace}; still running → SIGKILL. Returns the exit code. */
    int terminate(Duration grace) {
        Process p = process;
        if (p == null) {
            return -1;
        }
        p.destroy();
        return awaitExit(p, grace);
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, no drain. */
    void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            awaitExit(p, Duration.ofSeconds(10));
        }
    }

    /**
     * SIGSTOP: the process stays alive, its sockets open, and answers nothing (a hung replica, which no
     * connection reset reveals); {@link #thaw()} lets it go on.
     */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + p.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name, e);
        }
    }

    /** Sends SIGTERM without waiting (several processes stop in parallel; see {@link #awaitStopped}). */
    void signalTerminate() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }

    void awaitStopped(Duration grace) {
        Process p = process;
        if (p != null) {
            awaitExit(p, grace);
        }
    }

    private int awaitExit(Process p, Duration grace) {
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        } finally {
            RUNNING.remove(p);
        }
        return p.isAlive() ? -1 : p.exitValue();
    }

    /** The last {@code lines} lines of this process's log (for failure reports). */
    String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + (alive() ? " (pid " + process.pid() + ")" : " (stopped)");
    }

    /** JVM options of every child: small heaps, quick start (C1 only), one GC thread pool that suits 2 cores. */
    static List<String> smallJvm(String maxHeap) {
        return List.of("-Xmx" + maxHeap, "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8");
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
