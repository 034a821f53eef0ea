package zoneplane.controlplane.support;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that drive a real control plane over real HTTP on a random port, on a fresh
 * PostgreSQL database of its own (see {@link TestDatabase}). Subclasses call {@link #api()}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ControlPlaneIntegrationTest {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
    }

    protected ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + port);
    }
}
