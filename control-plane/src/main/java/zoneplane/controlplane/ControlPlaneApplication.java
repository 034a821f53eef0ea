package zoneplane.controlplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;
import zoneplane.controlplane.database.EmbeddedPostgresLauncher;

/**
 * The control plane. {@code ZONEPLANE_MIGRATE_ONLY=true} applies the Flyway migrations and exits
 * (the Helm chart's pre-upgrade Job), so serving replicas never race each other on migrations.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ControlPlaneApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ControlPlaneApplication.class);
        app.addListeners(new EmbeddedPostgresLauncher());
        boolean migrateOnly = Boolean.parseBoolean(System.getenv().getOrDefault("ZONEPLANE_MIGRATE_ONLY",
                System.getProperty("zoneplane.migrate-only", "false")));
        if (migrateOnly) {
            app.setWebApplicationType(WebApplicationType.NONE);
            app.setAdditionalProfiles("migrate-only");
        }
        ConfigurableApplicationContext context = app.run(args);
        if (migrateOnly) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
