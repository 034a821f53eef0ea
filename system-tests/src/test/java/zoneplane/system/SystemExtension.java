package zoneplane.system;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link SystemHarness} for the whole test run, kept in JUnit's root store so it is closed when
 * the run ends (failed or not; the JVM shutdown hook of {@link ManagedProcess} is the last resort).
 * Starting two Spring Boot JVMs costs tens of seconds on a small machine, so every scenario class
 * shares the processes: before each class, whatever an earlier scenario stopped (a killed control
 * plane, PostgreSQL, a node, a cut relay) is brought back. When a test fails, every process's log
 * tail is printed (the full logs are in {@code target/system-logs/}).
 */
final class SystemExtension implements BeforeAllCallback, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SystemExtension.class);

    private SystemHarness harness;

    static SystemExtension shared() {
        return new SystemExtension();
    }

    SystemHarness system() {
        if (harness == null) {
            throw new IllegalStateException("the system is not running");
        }
        return harness;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        long started = System.nanoTime();
        harness = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SystemHarness.class, k -> SystemHarness.start("system"), SystemHarness.class);
        harness.ensureHealthy();
        System.out.printf("%s: system ready in %.1f s%n", context.getRequiredTestClass().getSimpleName(),
                (System.nanoTime() - started) / 1e9);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (harness != null) {
            System.out.println("=== " + context.getDisplayName() + " failed; process logs:" + harness.logTails(80));
        }
    }
}
