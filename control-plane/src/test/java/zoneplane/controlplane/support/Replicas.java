package zoneplane.controlplane.support;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import zoneplane.controlplane.ControlPlaneApplication;

/** Further control-plane replicas on the test context's database, as a multi-replica deployment runs them. */
public final class Replicas {

    private Replicas() {}

    /**
     * Starts a replica on a free port with the database and operator token of the test context whose
     * {@code environment} is given. The caller closes it. Command-line arguments outrank
     * application.yaml, as the real deployment's environment does; {@code settings} are further ones
     * ({@code --name=value}).
     */
    public static ConfigurableApplicationContext start(Environment environment, String name, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + environment.getRequiredProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getRequiredProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--zoneplane.bootstrap-token=" + ControlPlaneIntegrationTest.OPERATOR_TOKEN,
                "--spring.profiles.active=loopback-tests",
                "--spring.application.name=" + name));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(ControlPlaneApplication.class).run(args.toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext replica) {
        return Integer.parseInt(replica.getEnvironment().getRequiredProperty("local.server.port"));
    }
}
