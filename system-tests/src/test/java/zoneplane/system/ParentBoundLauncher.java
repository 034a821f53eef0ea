package zoneplane.system;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The main class of every child JVM of the suite: {@code ParentBoundLauncher <parent pid> <main class> [args]}.
 * It binds the child's life to the test JVM that started it, then runs the real main in this thread.
 *
 * <p>Why: {@link ManagedProcess}'s shutdown hook stops the children when the test JVM exits, fails or gets
 * SIGTERM, but a SIGKILLed test JVM (an IDE's stop button, a CI timeout, the OOM killer) runs no hook, and
 * its control planes and nodes would keep their ports and memory forever. Here a daemon thread checks the
 * parent every {@link #CHECK_EVERY}; once it is gone the child exits as if stopped (shutdown hooks run, so
 * the planes drain and close their database connections) and is halted if that does not finish in
 * {@link #EXIT_GRACE}. {@link ProcessHandle#onExit()} is not used: for a process that is not our child the
 * JDK polls it with a back-off that grows to 5 s, a bound we would not control.
 */
public final class ParentBoundLauncher {

    /** The exit status of a child that stopped because its parent was gone (SIGTERM's, as for a stop). */
    static final int PARENT_GONE_STATUS = 143;
    static final Duration CHECK_EVERY = Duration.ofMillis(250);
    static final Duration EXIT_GRACE = Duration.ofSeconds(20);

    private ParentBoundLauncher() {}

    /** The command line arguments that run {@code mainClass} bound to this JVM (after {@code -cp ...}). */
    static String[] command(String mainClass) {
        return new String[] {ParentBoundLauncher.class.getName(), Long.toString(ProcessHandle.current().pid()),
            mainClass};
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ParentBoundLauncher <parent pid> <main class> [args...]");
        }
        // The handle is taken once: it remembers the parent's start time, so a PID reused by another
        // process later does not count as the parent still being alive.
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(args[0]));
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("parent process " + args[0] + " is already gone; not starting " + args[1]);
            System.exit(PARENT_GONE_STATUS);
        }
        watch(parent.get());
        System.err.println("bound to parent process " + args[0] + ": exits when it is gone");
        Method main = realMain(args[1]);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(ProcessHandle parent) {
        // Two threads: the exit runs shutdown hooks on one while the other stays free to halt.
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "parent-watch-" + parent.pid());
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            if (!parent.isAlive()) {
                System.err.println("parent process " + parent.pid() + " is gone: exiting");
                timer.schedule(() -> Runtime.getRuntime().halt(PARENT_GONE_STATUS), EXIT_GRACE.toMillis(),
                        TimeUnit.MILLISECONDS);
                System.exit(PARENT_GONE_STATUS);
            }
        }, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Method realMain(String className) throws ReflectiveOperationException {
        Method main = Class.forName(className).getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new IllegalArgumentException(className + ".main is not static");
        }
        return main;
    }
}
