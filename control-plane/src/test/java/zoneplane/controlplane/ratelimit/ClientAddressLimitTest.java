package zoneplane.controlplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.testing.ApiClient;

/**
 * Issue 20 item 4, the second half: failed authentications are limited per client address with the
 * production default (60 per minute), before any token lookup. This context runs without the
 * {@code loopback-tests} profile, which raises the limit for the shared contexts.
 */
@ActiveProfiles(value = "production-address-limit", inheritProfiles = false)
class ClientAddressLimitTest extends ControlPlaneIntegrationTest {

    static final int LIMIT = 60;

    @Test
    void sixtyFailedAuthenticationsFromOneAddressThen429With971AndRetryAfter() throws IOException {
        for (int i = 0; i < LIMIT; i++) {
            ApiClient.Response refused = i % 3 == 0 ? anonymous().get("/zones")
                    : i % 3 == 1 ? anonymous().withToken("zpt_unknown" + i).get("/zones")
                    : anonymous().withHeader("Authorization", "Basic abc").get("/zones");
            assertThat(refused.status()).as("failure %d: %s", i, refused).isIn(400, 401);
        }
        ApiClient.Response limited = anonymous().withToken("zpt_unknown-again").get("/zones");
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo(971);
        assertThat(limited.json().get("success").asBoolean()).isFalse();
        assertThat(limited.json().get("errors").get(0).get("message").asString()).contains("failed authentications");
        assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(anonymous().get("/accounts").status()).as("no credentials at all").isEqualTo(429);

        // what is not limited: public paths, the actuator, the operator's token (no lookup needed)
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous().get("/openapi.json").status()).isEqualTo(200);
        assertThat(api().get("/zones").status()).isEqualTo(200);
        assertThat(api().get("/actuator/prometheus").status()).isEqualTo(200);

        // another address has its own budget
        assertThat(statusFrom(InetAddress.getByName("127.0.0.2"), "/client/v4/zones")).isIn(400, 401);
    }

    /** The status of a GET without credentials sent from {@code source}. */
    private int statusFrom(InetAddress source, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
