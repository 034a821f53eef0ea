package zoneplane.controlplane.setting;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertSuccess;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.ControlPlaneApplication;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;
import zoneplane.testing.TestDatabase;

/** A control plane stopped and started again on the same database shows the same zones and settings. */
class SettingsSurviveRestartTest {

    /** The operator's bootstrap token of both runs (random per JVM; the API needs one). */
    static final String OPERATOR_TOKEN = "test-operator-token-" + java.util.UUID.randomUUID();

    @Test
    void settingsAndRevisionsSurviveARestartOnTheSameDatabase() {
        TestDatabase.Database db = TestDatabase.newDatabase();
        String zone;
        JsonNode before;
        long revision;
        try (ConfigurableApplicationContext first = start(db)) {
            ApiClient api = client(first);
            zone = new Fixtures(api).zoneId("enterprise");
            assertSuccess(api.patch("/zones/" + zone + "/settings",
                    "{\"items\":[{\"id\":\"ipv6\",\"value\":\"off\"},{\"id\":\"max_upload\",\"value\":2500}]}"));
            revision = Long.parseLong(api.patch("/zones/" + zone + "/settings/pseudo_ipv4", "{\"value\":\"add_header\"}")
                    .header("Zoneplane-Revision").orElseThrow());
            before = assertSuccess(api.get("/zones/" + zone + "/settings"));
        }
        try (ConfigurableApplicationContext second = start(db)) {
            ApiClient api = client(second);
            assertThat(assertSuccess(api.get("/zones/" + zone + "/settings"))).isEqualTo(before);
            ApiClient.Response next = api.patch("/zones/" + zone + "/settings/grpc", "{\"value\":\"on\"}");
            assertThat(Long.parseLong(next.header("Zoneplane-Revision").orElseThrow())).isEqualTo(revision + 1);
        }
    }

    private static ConfigurableApplicationContext start(TestDatabase.Database db) {
        return new SpringApplicationBuilder(ControlPlaneApplication.class)
                .run("--server.port=0",
                        "--spring.datasource.url=" + db.url(),
                        "--spring.datasource.username=" + db.username(),
                        "--spring.datasource.password=" + db.password(),
                        "--zoneplane.bootstrap-token=" + OPERATOR_TOKEN, "--spring.profiles.active=loopback-tests");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new ApiClient("http://127.0.0.1:" + port).withToken(OPERATOR_TOKEN);
    }
}
