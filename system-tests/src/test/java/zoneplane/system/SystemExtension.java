package zoneplane.system;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts one {@link SystemHarness} per test class (processes are shared by the class's scenarios to
 * keep wall time low), stops it after the class even when a test failed, and prints every process's
 * log tail when a test fails (the full logs stay in {@code target/system-logs/}).
 */
final class SystemExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final SystemHarness.Options options;
    private SystemHarness harness;

    private SystemExtension(SystemHarness.Options options) {
        this.options = options;
    }

    static SystemExtension with(SystemHarness.Options options) {
        return new SystemExtension(options);
    }

    static SystemExtension defaults() {
        return new SystemExtension(new SystemHarness.Options());
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
        harness = SystemHarness.start(context.getRequiredTestClass().getSimpleName(), options);
        System.out.printf("system started in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (harness != null) {
            System.out.println("=== " + context.getDisplayName() + " failed; process logs:" + harness.logTails(80));
        }
    }
}
