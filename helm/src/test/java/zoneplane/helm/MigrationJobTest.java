package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.helm.SecretHandlingTest.envByName;
import static zoneplane.helm.SecretHandlingTest.secretRef;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flyway runs once per install/upgrade in a Job, never in the serving replicas. Against an
 * external database the Job is a pre-install/pre-upgrade hook and depends on nothing the release
 * creates; with the in-chart PostgreSQL it is an ordinary Job per revision that waits for the
 * database (a pre-install hook would wait for a database that is only created after it).
 */
class MigrationJobTest {

    private static Map<String, Object> valueOf(Map<String, Object> env, String name) {
        Object variable = env.get(name);
        assertThat(variable).as("env %s", name).isNotNull();
        return Manifest.asMap(variable);
    }

    @Test
    void withAnExternalDatabaseMigrationsRunAsAPreInstallAndPreUpgradeHook() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production"));
        Manifest job = release.get("Job", FULLNAME + "-migrations");

        assertThat(job.annotations())
                .containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation")
                .containsKey("helm.sh/hook-weight");
        Map<String, Object> env = envByName(job.container("migrations"));
        assertThat(valueOf(env, "ZONEPLANE_MIGRATE_ONLY")).containsEntry("value", "true");
        assertThat(secretRef(env, "ZONEPLANE_DATABASE_URL")).containsEntry("name", "zoneplane-db-app");
        assertThat(secretRef(env, "SPRING_DATASOURCE_PASSWORD")).containsEntry("name", "zoneplane-db-app");
        assertThat(job.podSpec().get("restartPolicy")).isEqualTo("Never");
        assertThat(job.at("spec.backoffLimit")).isEqualTo(3);
    }

    @Test
    void theHookReadsNothingTheReleaseCreatesLater() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("external-database"));
        Manifest job = release.get("Job", FULLNAME + "-migrations");
        Map<String, Object> env = envByName(job.container("migrations"));

        // The URL is inline (no ConfigMap yet), the password comes from a hook Secret made first.
        assertThat(valueOf(env, "ZONEPLANE_DATABASE_URL"))
                .containsEntry("value", "jdbc:postgresql://postgres.databases.svc:5432/zoneplane?sslmode=require");
        assertThat(job.container("migrations")).doesNotContainKey("envFrom");
        String credentials = (String) secretRef(env, "SPRING_DATASOURCE_PASSWORD").get("name");
        Manifest hookSecret = release.get("Secret", credentials);
        assertThat(hookSecret.annotations())
                .containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        assertThat(Integer.parseInt((String) hookSecret.annotations().get("helm.sh/hook-weight")))
                .as("the Secret is created before the Job")
                .isLessThan(Integer.parseInt((String) job.annotations().get("helm.sh/hook-weight")));
        assertThat(SecretHandlingTest.decoded(hookSecret, "password")).isEqualTo("change-me-in-a-real-install");
        // The chart's ServiceAccount is an ordinary resource too: the hook uses the namespace's default.
        assertThat(job.podSpec().get("serviceAccountName")).isEqualTo("default");
    }

    @Test
    void withTheInChartDatabaseMigrationsAreARevisionedJobThatWaitsForIt() {
        RenderedRelease release = ZoneplaneChart.render();
        List<Manifest> jobs = release.ofKind("Job");
        assertThat(jobs).hasSize(1);
        Manifest job = jobs.get(0);

        assertThat(job.name()).isEqualTo(FULLNAME + "-migrations-r1");
        assertThat(job.annotations()).doesNotContainKey("helm.sh/hook");
        Map<String, Object> wait = Manifest.list(job.podSpec(), "initContainers").get(0);
        assertThat(wait.get("name")).isEqualTo("wait-for-database");
        assertThat(String.join(" ", (List<String>) wait.get("command"))).contains("pg_isready");
        Map<String, Object> env = envByName(job.container("migrations"));
        assertThat(valueOf(env, "ZONEPLANE_MIGRATE_ONLY")).containsEntry("value", "true");
        assertThat(valueOf(env, "ZONEPLANE_DATABASE_URL"))
                .containsEntry("value", "jdbc:postgresql://" + FULLNAME + "-postgresql:5432/zoneplane");
        assertThat(secretRef(env, "SPRING_DATASOURCE_PASSWORD")).containsEntry("name", FULLNAME + "-database");
    }

    @Test
    void servingReplicasNeverMigrate() {
        for (var scenario : ZoneplaneChart.ciScenarios()) {
            RenderedRelease release = ZoneplaneChart.render(scenario);
            assertThat(release.get("ConfigMap", FULLNAME + "-control-plane").map("data"))
                    .as(scenario.getFileName().toString())
                    .containsEntry("SPRING_FLYWAY_ENABLED", "false");
            Map<String, Object> container =
                    release.get("Deployment", FULLNAME + "-control-plane").container("control-plane");
            assertThat(envByName(container)).doesNotContainKey("ZONEPLANE_MIGRATE_ONLY");
            assertThat(envByName(container)).doesNotContainKey("SPRING_FLYWAY_ENABLED");
        }
    }

    @Test
    void aNewControlPlanePodNeverReplacesAServingOneBeforeItIsReady() {
        Manifest deployment = ZoneplaneChart.render().get("Deployment", FULLNAME + "-control-plane");
        assertThat(deployment.map("spec.strategy.rollingUpdate")).containsEntry("maxUnavailable", 0);
    }
}
