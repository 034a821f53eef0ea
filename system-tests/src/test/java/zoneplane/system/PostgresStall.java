package zoneplane.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hung database host: every PostgreSQL process (the postmaster, then each backend and auxiliary
 * process it started) gets SIGSTOP, so connections stay open but nothing answers, no connection is
 * refused and none is reset; {@link #resume()} sends SIGCONT. Processes are signalled by PID only.
 * {@link #close()} resumes, so a failed test never leaves a frozen server behind.
 */
final class PostgresStall implements AutoCloseable {

    private final List<Long> frozen = new ArrayList<>();

    private PostgresStall() {}

    static PostgresStall freeze(RestartablePostgres postgres) {
        PostgresStall stall = new PostgresStall();
        long postmaster = postgres.postmasterPid();
        ProcessHandle handle = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + postmaster));
        // The postmaster first: stopped, it starts no new backend while the others are listed.
        signal("STOP", List.of(postmaster));
        stall.frozen.add(postmaster);
        List<Long> children = handle.descendants().map(ProcessHandle::pid).toList();
        signal("STOP", children);
        stall.frozen.addAll(children);
        return stall;
    }

    /** How many processes are stopped. */
    int processes() {
        return frozen.size();
    }

    /** SIGCONT to every stopped process (the backends first, then the postmaster); idempotent. */
    synchronized void resume() {
        if (frozen.isEmpty()) {
            return;
        }
        List<Long> order = new ArrayList<>(frozen.subList(1, frozen.size()));
        order.add(frozen.get(0));
        signal("CONT", order);
        frozen.clear();
    }

    @Override
    public void close() {
        resume();
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " did not finish");
            }
            String output = new String(kill.getInputStream().readAllBytes());
            // A backend that exited meanwhile is no error; any other failure is.
            if (kill.exitValue() != 0 && !output.contains("No such process")) {
                throw new IllegalStateException("kill -" + signal + " " + pids + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling PostgreSQL", e);
        }
    }

    @Override
    public String toString() {
        return "PostgresStall" + frozen;
    }
}
