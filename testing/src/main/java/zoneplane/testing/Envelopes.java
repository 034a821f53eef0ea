package zoneplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Assertions on the Cloudflare envelope that every API answer must keep. */
public final class Envelopes {

    private Envelopes() {}

    /** A success: the envelope keys, success true, no errors; returns {@code result}. */
    public static JsonNode assertSuccess(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.propertyNames()).as(response.toString()).contains("success", "errors", "messages", "result");
        assertThat(json.get("success").asBoolean()).isTrue();
        assertThat(json.get("errors").isArray()).isTrue();
        assertThat(json.get("errors").size()).isZero();
        assertThat(json.get("messages").isArray()).isTrue();
        return json.get("result");
    }

    /**
     * A failure with exactly the envelope keys, {@code result: null}, one error with {@code code}, and
     * nothing in the body that looks like an internal (stack frames, class or package names, SQL).
     */
    public static void assertFailure(ApiClient.Response response, int status, int code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode json = response.json();
        assertThat(json.propertyNames()).as(response.toString()).containsExactlyInAnyOrder("success", "errors", "messages", "result");
        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.get("result").isNull()).isTrue();
        assertThat(json.get("messages").isArray()).isTrue();
        assertThat(json.get("errors").size()).as(response.toString()).isEqualTo(1);
        assertThat(json.get("errors").get(0).get("code").asInt()).as(response.toString()).isEqualTo(code);
        assertThat(json.get("errors").get(0).get("message").asString()).isNotBlank();
        assertNoInternals(response.body());
    }

    public static void assertNoInternals(String body) {
        assertThat(body).doesNotContainIgnoringCase("exception")
                .doesNotContain("zoneplane.")
                .doesNotContain("org.")
                .doesNotContain("java.")
                .doesNotContain("tools.jackson")
                .doesNotContainIgnoringCase("select ")
                .doesNotContainIgnoringCase("insert into")
                .doesNotContainIgnoringCase("postgres")
                .doesNotContainIgnoringCase("sqlstate")
                .doesNotContain("\tat ");
    }
}
