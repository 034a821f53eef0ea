package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.helm.ZoneplaneChart.FULLNAME;
import static zoneplane.helm.ZoneplaneChart.NAMESPACE;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens and database credentials live in Secrets only, survive upgrades, or come from yours. */
class SecretHandlingTest {

    private static final String TOKENS = FULLNAME + "-tokens";
    private static final String DATABASE = FULLNAME + "-database";

    private final KubernetesApiStub cluster = KubernetesApiStub.running();

    @AfterEach
    void forgetClusterState() {
        cluster.clear();
    }

    @Test
    void explicitSecretValuesAppearInNoManifestButSecrets() {
        Map<String, Object> secrets = Map.of(
                "auth.bootstrapToken", "bootstrap-Secret-7f3a9c",
                "auth.nodeToken", "node-Secret-41be02",
                "postgresql.password", "pg-Secret-9d8e7f");
        assertNoLeak(ZoneplaneChart.render(null, secrets), secrets.values());

        Map<String, Object> external = Map.of(
                "postgresql.enabled", false,
                "database.url", "jdbc:postgresql://db.internal:5432/zoneplane",
                "database.password", "db-Secret-c0ffee");
        RenderedRelease release = ZoneplaneChart.render(null, external);
        assertNoLeak(release, List.of("db-Secret-c0ffee"));
        assertThat(decoded(release.get("Secret", DATABASE), "password")).isEqualTo("db-Secret-c0ffee");
    }

    @Test
    void generatedSecretsOfEveryScenarioAppearInNoOtherManifest() {
        List<java.nio.file.Path> scenarios = ZoneplaneChart.ciScenarios();
        int withGeneratedSecrets = 0;
        for (var scenario : scenarios) {
            RenderedRelease release = ZoneplaneChart.render(scenario);
            List<Manifest> secrets = release.ofKind("Secret");
            if (secrets.isEmpty()) {
                // only existing Secrets (production): nothing generated to leak, see existingSecretsReplace…
                continue;
            }
            withGeneratedSecrets++;
            List<String> values = secrets.stream()
                    .flatMap(secret -> Manifest.asMap(secret.body().get("data")).keySet().stream()
                            .map(key -> decoded(secret, key)))
                    .filter(value -> value.length() >= 12)
                    .toList();
            Manifest tokens = release.get("Secret", TOKENS);
            assertThat(values).as("the generated tokens of %s are among the values searched for", scenario.getFileName())
                    .contains(decoded(tokens, "bootstrap-token"), decoded(tokens, "node-token"));
            assertThat(assertNoLeak(release, values)).as("manifests of %s searched", scenario.getFileName()).isPositive();
        }
        assertThat(withGeneratedSecrets).as("scenarios whose generated Secrets were checked")
                .isGreaterThanOrEqualTo(scenarios.size() - 1);
    }

    @Test
    void tokensAreGeneratedRandomlyWithAtLeast160BitsOnInstall() {
        Manifest first = ZoneplaneChart.render().get("Secret", TOKENS);
        Manifest second = ZoneplaneChart.render().get("Secret", TOKENS);

        for (String key : List.of("bootstrap-token", "node-token")) {
            String token = decoded(first, key);
            // 48 characters of [A-Za-z0-9]: 48 × log2(62) ≈ 285 bits.
            assertThat(token).matches("[A-Za-z0-9]{48}");
            assertThat(token).as("a fresh install gets fresh tokens").isNotEqualTo(decoded(second, key));
        }
        assertThat(decoded(first, "bootstrap-token")).isNotEqualTo(decoded(first, "node-token"));
        assertThat(decoded(ZoneplaneChart.render().get("Secret", DATABASE), "password")).matches("[A-Za-z0-9]{32}");
    }

    @Test
    void anUpgradeKeepsTheTokensAndDatabasePasswordAlreadyInTheCluster() {
        cluster.putSecret(NAMESPACE, TOKENS, Map.of(
                "bootstrap-token", "operator-token-from-install",
                "node-token", "node-token-from-install"));
        cluster.putSecret(NAMESPACE, DATABASE, Map.of(
                "username", "zoneplane", "password", "password-the-volume-was-initialised-with"));

        RenderedRelease upgrade = ZoneplaneChart.render();

        assertThat(decoded(upgrade.get("Secret", TOKENS), "bootstrap-token")).isEqualTo("operator-token-from-install");
        assertThat(decoded(upgrade.get("Secret", TOKENS), "node-token")).isEqualTo("node-token-from-install");
        assertThat(decoded(upgrade.get("Secret", DATABASE), "password"))
                .isEqualTo("password-the-volume-was-initialised-with");
    }

    @Test
    void generatedSecretsSurviveUninstallSoAReinstallFindsTheDatabaseItsPasswordOpens() {
        RenderedRelease release = ZoneplaneChart.render();
        for (String name : List.of(TOKENS, DATABASE)) {
            assertThat(release.get("Secret", name).annotations())
                    .containsEntry("helm.sh/resource-policy", "keep");
        }
    }

    @Test
    void existingSecretsReplaceTheChartsSecretsAndAreReferencedByKey() {
        RenderedRelease release = ZoneplaneChart.render(ZoneplaneChart.ciScenario("production"));

        assertThat(release.ofKind("Secret")).as("no chart-made Secret").isEmpty();
        Map<String, Object> env = envByName(release.get("Deployment", FULLNAME + "-control-plane")
                .container("control-plane"));
        assertThat(secretRef(env, "ZONEPLANE_BOOTSTRAP_TOKEN")).containsEntry("name", "zoneplane-tokens")
                .containsEntry("key", "bootstrap-token");
        assertThat(secretRef(env, "ZONEPLANE_NODE_TOKEN")).containsEntry("name", "zoneplane-tokens")
                .containsEntry("key", "node-token");
        assertThat(secretRef(env, "ZONEPLANE_DATABASE_URL")).containsEntry("name", "zoneplane-db-app")
                .containsEntry("key", "jdbc-uri");
        assertThat(secretRef(env, "SPRING_DATASOURCE_USERNAME")).containsEntry("name", "zoneplane-db-app")
                .containsEntry("key", "username");
        assertThat(secretRef(env, "SPRING_DATASOURCE_PASSWORD")).containsEntry("name", "zoneplane-db-app")
                .containsEntry("key", "password");

        Map<String, Object> nodeEnv = envByName(release.get("DaemonSet", FULLNAME + "-data-plane")
                .container("data-plane"));
        assertThat(secretRef(nodeEnv, "ZONEPLANE_NODE_TOKEN")).containsEntry("name", "zoneplane-tokens");
        assertThat(nodeEnv).doesNotContainKeys("ZONEPLANE_BOOTSTRAP_TOKEN", "SPRING_DATASOURCE_PASSWORD");
    }

    @Test
    void configMapsHoldNoCredentialOrToken() {
        for (var scenario : ZoneplaneChart.ciScenarios()) {
            for (Manifest configMap : ZoneplaneChart.render(scenario).ofKind("ConfigMap")) {
                assertThat(configMap.map("data").keySet())
                        .as("%s in %s", configMap, scenario.getFileName())
                        .noneMatch(key -> key.contains("TOKEN") || key.contains("PASSWORD")
                                || key.contains("USERNAME"));
            }
        }
    }

    /** Returns how many manifests (other than Secrets) were searched, so a caller can tell it searched any. */
    private static int assertNoLeak(RenderedRelease release, Iterable<?> secretValues) {
        int searched = 0;
        for (Manifest manifest : release.all()) {
            if ("Secret".equals(manifest.kind())) {
                continue;
            }
            searched++;
            String text = new org.yaml.snakeyaml.Yaml().dump(manifest.body());
            for (Object value : secretValues) {
                assertThat(text).as("%s must not contain a secret value", manifest).doesNotContain(value.toString());
                String base64 = Base64.getEncoder().encodeToString(value.toString().getBytes(StandardCharsets.UTF_8));
                assertThat(text).as("%s must not contain a secret value (base64)", manifest).doesNotContain(base64);
            }
        }
        return searched;
    }

    static String decoded(Manifest secret, String key) {
        Object value = Manifest.asMap(secret.body().get("data")).get(key);
        assertThat(value).as("%s has key %s", secret, key).isNotNull();
        return new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8);
    }

    static Map<String, Object> envByName(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> variable : Manifest.list(container, "env")) {
            env.put((String) variable.get("name"), variable);
        }
        return env;
    }

    static Map<String, Object> secretRef(Map<String, Object> env, String name) {
        Object variable = env.get(name);
        assertThat(variable).as("env %s", name).isNotNull();
        Object valueFrom = Manifest.asMap(variable).get("valueFrom");
        assertThat(valueFrom).as("env %s comes from a Secret", name).isNotNull();
        return Manifest.asMap(Manifest.asMap(valueFrom).get("secretKeyRef"));
    }
}
