package zoneplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Accounts and zones created through the real API, with unique names per call. */
public final class Fixtures {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ApiClient api;

    public Fixtures(ApiClient api) {
        this.api = api;
    }

    public String account() {
        ApiClient.Response created = api.post("/accounts", "{\"name\":\"Account " + COUNTER.incrementAndGet() + "\"}");
        return Envelopes.assertSuccess(created).get("id").asString();
    }

    /** A zone on {@code plan} in a new account; returns its JSON. */
    public JsonNode zone(String plan) {
        return zone(account(), uniqueName(), plan);
    }

    public JsonNode zone(String accountId, String name, String plan) {
        ApiClient.Response created = api.post("/zones", "{\"account\":{\"id\":\"" + accountId + "\"},\"name\":\"" + name
                + "\",\"type\":\"full\",\"plan\":\"" + plan + "\",\"origin\":\"http://127.0.0.1:9\"}");
        JsonNode zone = Envelopes.assertSuccess(created);
        assertThat(zone.get("name").asString()).isEqualTo(name);
        return zone;
    }

    public String zoneId(String plan) {
        return zone(plan).get("id").asString();
    }

    public static String uniqueName() {
        return "zone" + COUNTER.incrementAndGet() + "-" + ProcessHandle.current().pid() + ".example.com";
    }
}
