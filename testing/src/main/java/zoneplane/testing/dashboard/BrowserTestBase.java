package zoneplane.testing.dashboard;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.TestDatabase;

/**
 * Base of the console's browser tests: per test class, a real control plane on a random loopback
 * port over its own fresh PostgreSQL database (see {@link TestDatabase}), and one headless Chromium.
 * Each test starts signed in as the operator.
 *
 * <p>Why not {@code ControlPlaneIntegrationTest}'s cached Spring test context: the test framework
 * pauses a cached context when another test class uses a different one and restarts it later, and
 * the distribution's change stream hub cannot be restarted (its executors are shut down on stop),
 * so a browser test sharing a cached context fails depending on which classes ran before it. A
 * control plane of our own, started and closed by this class, is independent of test order.
 */
public abstract class BrowserTestBase {

    /** The operator's bootstrap token of this control plane (random per JVM, never a fixed credential). */
    protected static final String OPERATOR_TOKEN = "zp-dashboard-operator-" + UUID.randomUUID();
    /** The shared secret data-plane nodes present to this control plane. */
    protected static final String NODE_TOKEN = "zp-dashboard-node-" + UUID.randomUUID();

    protected static Browser browser;
    private static ConfigurableApplicationContext controlPlane;
    protected static int port;

    protected Console console;

    @BeforeAll
    protected static void startControlPlaneAndBrowser() {
        Browser.assumeInstalled();
        TestDatabase.Database db = TestDatabase.newDatabase();
        // As command-line arguments: they outrank application.yaml.
        controlPlane = new SpringApplicationBuilder(EmbeddedControlPlane.application()).run(
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--server.shutdown=immediate",
                "--spring.main.banner-mode=off",
                "--zoneplane.node-token=" + NODE_TOKEN,
                "--zoneplane.bootstrap-token=" + OPERATOR_TOKEN,
                "--spring.profiles.active=loopback-tests",
                "--zoneplane.rate-limit.overrides.operator.requests=100000000",
                "--zoneplane.distribution.heartbeat-interval=1s");
        port = Integer.parseInt(controlPlane.getEnvironment().getRequiredProperty("local.server.port"));
        browser = Browser.start();
    }

    @AfterAll
    protected static void stopControlPlaneAndBrowser() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            browser = null;
            if (controlPlane != null) {
                controlPlane.close();
                controlPlane = null;
            }
        }
    }

    @BeforeEach
    protected void signInAsOperator() {
        browser.resize(1280, 1000);
        console = new Console(browser, port);
        console.signIn(OPERATOR_TOKEN);
        console.consoleErrors();
    }

    /** The API as the operator. */
    protected static ApiClient api() {
        return anonymous().withToken(OPERATOR_TOKEN);
    }

    /** The API with no token. */
    protected static ApiClient anonymous() {
        return new ApiClient("http://127.0.0.1:" + port);
    }
}
