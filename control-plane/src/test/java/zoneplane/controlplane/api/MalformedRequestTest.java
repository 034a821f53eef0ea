package zoneplane.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertFailure;
import static zoneplane.testing.Envelopes.assertNoInternals;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.RawHttp;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * Requests malformed below the JSON level get a labelled 4xx (or the 5xx that names what the server
 * does not implement) in the envelope on every endpoint, never a 500 and never an unlabelled body:
 * wildcard and malformed Content-Types, query strings that do not decode, methods, codings and
 * protocol versions the server does not implement, HTTP/0.9. Table-driven over the endpoints; raw
 * sockets where a well-behaved client would refuse to send the request.
 */
class MalformedRequestTest extends ControlPlaneIntegrationTest {

    static final String OPERATOR = "Authorization: Bearer " + OPERATOR_TOKEN + "\r\n";

    String account;
    String zone;

    record BodyEndpoint(String method, String path, String body) {}

    @BeforeEach
    void fixtures() {
        Fixtures fixtures = new Fixtures(api());
        account = fixtures.account();
        zone = fixtures.zone(account, Fixtures.uniqueName(), "enterprise").get("id").asString();
    }

    List<BodyEndpoint> jsonBodyEndpoints() {
        List<BodyEndpoint> endpoints = new ArrayList<>();
        for (String prefix : new String[] {"", "/client/v4"}) {
            endpoints.add(new BodyEndpoint("POST", prefix + "/accounts", "{\"name\":\"x\"}"));
            endpoints.add(new BodyEndpoint("POST", prefix + "/accounts/" + account + "/tokens",
                    "{\"name\":\"x\",\"permissions\":[\"zone:read\"]}"));
            endpoints.add(new BodyEndpoint("POST", prefix + "/zones", "{\"account\":{\"id\":\"" + account + "\"},\"name\":\""
                    + Fixtures.uniqueName() + "\"}"));
            endpoints.add(new BodyEndpoint("PATCH", prefix + "/zones/" + zone, "{\"paused\":false}"));
            endpoints.add(new BodyEndpoint("PATCH", prefix + "/zones/" + zone + "/settings", "{\"items\":[{\"id\":\"grpc\",\"value\":\"on\"}]}"));
            endpoints.add(new BodyEndpoint("PATCH", prefix + "/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}"));
        }
        return endpoints;
    }

    /** Not one concrete media type. (Spring reads "application/json;" as JSON, so it is no refusal.) */
    static final String[] NOT_ONE_MEDIA_TYPE = {"*/*", "application/*", "text/*", "*/json", "application/*+json", "*",
            "garbage", "application/", "/json", "application/json/extra", "application/json; =utf-8", "application json", "*/*; charset=utf-8", "application/*; q=0.5"};

    @Test
    void wildcardAndMalformedContentTypesAre415WithCloudflaresChainOnEveryJsonBodyEndpoint() {
        int checked = 0;
        for (BodyEndpoint endpoint : jsonBodyEndpoints()) {
            for (String contentType : NOT_ONE_MEDIA_TYPE) {
                ApiClient.Response response = api().send(endpoint.method(), endpoint.path(), endpoint.body(), contentType);
                assertFailure(response, 415, 6003);
                JsonNode chain = response.json().get("errors").get(0).get("error_chain");
                assertThat(chain.get(0).get("code").asInt()).as(contentType + " " + response).isEqualTo(6105);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(12 * NOT_ONE_MEDIA_TYPE.length);
        // the same bodies with a real media type are accepted: the refusal was about the header only
        assertSuccess(api().patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}"));
        assertSuccess(api().send("PATCH", "/zones/" + zone, "{\"paused\":false}", "application/json; charset=utf-8"));
    }

    @Test
    void aWildcardContentTypeIsRefusedOnBodilessRequestsToo() {
        for (String path : new String[] {"/zones", "/zones/" + zone, "/user/tokens/verify", "/accounts/" + account + "/audit_logs"}) {
            assertFailure(api().send("GET", path, null, "*/*"), 415, 6003);
        }
        assertFailure(api().send("DELETE", "/accounts/" + account + "/tokens/" + "0".repeat(32), null, "application/*"), 415, 6003);
    }

    static final String[] UNDECODABLE_QUERIES = {"name=%ff", "%zz=1", "=", "%", "name=%", "name=%zz", "%ff=1", "a=%c3%28",
            "page=%e2%82", "name=ok&%=x", "x=%g0", "per_page=1&=2", "name=%c0%af", "%"};

    @Test
    void undecodableQueryStringsAre400OnEveryEndpoint() {
        List<String> paths = List.of("/zones", "/client/v4/zones", "/zones/" + zone, "/zones/" + zone + "/settings",
                "/zones/" + zone + "/settings/websockets", "/zones/" + zone + "/dns_records", "/zones/" + zone + "/propagation",
                "/zone_settings", "/user/tokens/verify", "/accounts", "/accounts/" + account, "/accounts/" + account + "/tokens",
                "/accounts/" + account + "/audit_logs", "/edge_nodes", "/no/such/route", "/actuator/health", "/openapi.json",
                "/internal/v1/snapshot");
        for (String path : paths) {
            for (String query : UNDECODABLE_QUERIES) {
                RawHttp.Answer answer = RawHttp.exchange(port, "GET " + path + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + OPERATOR + "Connection: close\r\n\r\n");
                String context = path + "?" + query + " -> " + answer;
                assertThat(answer.status()).as(context).isEqualTo(400);
                assertThat(answer.headers().get("content-type")).as(context).startsWith("application/json");
                JsonNode error = answer.json().get("errors").get(0);
                assertThat(error.get("code").asInt()).as(context).isEqualTo(1003);
                assertThat(error.get("message").asString()).as(context).startsWith("Malformed query string");
                assertNoInternals(answer.body());
            }
        }
    }

    @Test
    void plusIsASpaceAndPercent2BIsAPlusInQueries() {
        String name = Fixtures.uniqueName();
        new Fixtures(api()).zone(account, name, "free");
        assertThat(assertSuccess(api().get("/zones?name=" + name)).size()).isEqualTo(1);
        // '+' decodes to a space, so this names no zone (and is no error); %2B is a literal plus
        assertThat(assertSuccess(api().get("/zones?name=" + name.replace(".", "+"))).size()).isZero();
        assertThat(assertSuccess(api().get("/zones?name=a%2Bb")).size()).isZero();
    }

    /** One request the server cannot serve as sent, and how it must be labelled. */
    record Refusal(String name, String request, int status, int code, String message) {}

    List<Refusal> refusals() {
        String post = "POST /accounts HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR + "Content-Type: application/json\r\n";
        return List.of(
                new Refusal("CONNECT authority", "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 501, 9501,
                        "Method CONNECT is not supported"),
                new Refusal("CONNECT path", "CONNECT /zones HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR + "\r\n", 501, 9501,
                        "Method CONNECT is not supported"),
                new Refusal("TRACE", "TRACE /zones HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR + "Connection: close\r\n\r\n", 405, 7001,
                        "Method TRACE not allowed"),
                new Refusal("unknown method", "FROB /zones HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR + "Connection: close\r\n\r\n",
                        405, 7001, "Method FROB not allowed"),
                new Refusal("Transfer-Encoding gzip", post + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\nxyz", 501, 9501,
                        "Transfer-Encoding gzip is not supported"),
                new Refusal("Transfer-Encoding gzip, chunked", post + "Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
                        501, 9501, "Transfer-Encoding gzip, chunked is not supported"),
                new Refusal("Transfer-Encoding deflate", post + "Transfer-Encoding: deflate\r\nConnection: close\r\n\r\nxyz", 501, 9501,
                        "Transfer-Encoding deflate is not supported"),
                new Refusal("HTTP/1.2", "GET /zones HTTP/1.2\r\nHost: 127.0.0.1\r\n" + OPERATOR + "Connection: close\r\n\r\n", 505, 9505,
                        "HTTP version not supported"),
                new Refusal("HTTP/2.0 request line", "GET /zones HTTP/2.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 505, 9505,
                        "HTTP version not supported"),
                new Refusal("Expect", post + "Expect: 100-later\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 417, 9417,
                        "An Expect header other than 100-continue"),
                new Refusal("header without colon", "GET /zones HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header y\r\nConnection: close\r\n\r\n",
                        400, 9400, "Malformed request"),
                new Refusal("space in header name", "GET /zones HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\nConnection: close\r\n\r\n",
                        400, 9400, "Malformed request"),
                new Refusal("HTTP/1.1 without Host", "GET /zones HTTP/1.1\r\n" + OPERATOR + "Connection: close\r\n\r\n", 400, 9400,
                        "Malformed request"),
                new Refusal("unencoded character in target", "GET /zones?a=<> HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                        400, 9400, "Malformed request"),
                new Refusal("Content-Length not a number", post + "Content-Length: two\r\nConnection: close\r\n\r\n{}", 400, 9400,
                        "Malformed request"));
    }

    @Test
    void requestsTheServerDoesNotImplementAreLabelledByWhatHappened() {
        for (Refusal refusal : refusals()) {
            RawHttp.Answer answer = RawHttp.exchange(port, refusal.request());
            String context = refusal.name() + " -> " + answer;
            assertThat(answer.status()).as(context).isEqualTo(refusal.status());
            assertThat(answer.headers().get("content-type")).as(context).startsWith("application/json");
            JsonNode json = answer.json();
            assertThat(json.get("success").asBoolean()).as(context).isFalse();
            assertThat(json.get("errors").get(0).get("code").asInt()).as(context).isEqualTo(refusal.code());
            assertThat(json.get("errors").get(0).get("message").asString()).as(context).contains(refusal.message())
                    .doesNotContain("Internal error");
            assertThat(answer.body()).as(context).doesNotContainIgnoringCase("tomcat").doesNotContain("<html");
            assertNoInternals(answer.body());
        }
    }

    @Test
    void http09IsRefusedWithAStatusLineTheClientCanRead() {
        for (String request : new String[] {"GET /zones\r\n", "GET /openapi.json\r\n", "GET /client/v4/zones?name=x\r\n"}) {
            RawHttp.Answer answer = RawHttp.exchange(port, request);
            assertThat(answer.statusLine()).as(answer.toString()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
            assertThat(answer.json().get("errors").get(0).get("code").asInt()).isEqualTo(9400);
            assertThat(answer.json().get("errors").get(0).get("message").asString()).startsWith("HTTP/0.9 is not supported");
            assertThat(answer.body()).doesNotContain("\"result\":[");
        }
    }
}
