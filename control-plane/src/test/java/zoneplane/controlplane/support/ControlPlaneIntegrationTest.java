package zoneplane.controlplane.support;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import zoneplane.testing.ApiClient;
import zoneplane.testing.TestDatabase;

/**
 * Base of tests that drive a real control plane over real HTTP on a random port, on a real
 * PostgreSQL database (see {@link TestDatabase}). Spring caches the context, so test classes with the
 * same configuration share one application and one database: assert on what your test created
 * (unique names, relative counts), never on global totals. Subclasses call {@link #api()} (as the
 * operator, whose bootstrap token every test context gets: there is no default one) or
 * {@link #anonymous()} (no token). The operator's rate limit is raised out of the way; rate-limit
 * tests use tokens of their own. Private origins are allowed, as in the {@code local} profile: tests'
 * origins listen on 127.0.0.1 and the per-address limit on failed authentications is raised (profile {@code loopback-tests}; {@code OriginRulesTest} and {@code ClientAddressLimitTest} run without it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("loopback-tests")
public abstract class ControlPlaneIntegrationTest {

    /** The operator's bootstrap token in test contexts (random per JVM, never a fixed credential). */
    protected static final String OPERATOR_TOKEN = "zp-test-operator-" + java.util.UUID.randomUUID();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("zoneplane.bootstrap-token", () -> OPERATOR_TOKEN);
        registry.add("zoneplane.rate-limit.overrides.operator.requests", () -> "100000000");
        registry.add("zoneplane.cors.allowed-origins", () -> "https://admin.example.com,http://127.0.0.1:3000");
    }

    /** A client that calls as the operator (full rights). */
    protected ApiClient api() {
        return anonymous().withToken(OPERATOR_TOKEN);
    }

    /** A client that sends no token. */
    protected ApiClient anonymous() {
        return new ApiClient("http://127.0.0.1:" + port);
    }
}
