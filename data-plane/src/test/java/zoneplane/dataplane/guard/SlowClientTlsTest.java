package zoneplane.dataplane.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.TestTls;
import zoneplane.dataplane.support.Zones;

/**
 * The slow-client bounds on the TLS listener: HTTP/1.1 (chosen by ALPN or by default) is guarded, and a
 * well-behaved h2 connection is not cut ({@link Http2SlowClientTest} has the HTTP/2 bounds).
 */
class SlowClientTlsTest {

    private static final long BOUND_MILLIS = 3_000;

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build(),
                    Zones.zone("127.0.0.1", origin.url()).build()))
            .env(DataPlaneConfigLoader.TLS_CERT_FILE, TestTls.certFile())
            .env(DataPlaneConfigLoader.TLS_KEY_FILE, TestTls.keyFile())
            .env(DataPlaneConfigLoader.REQUEST_HEADER_TIMEOUT, "1s")
            .env(DataPlaneConfigLoader.REQUEST_BODY_TIMEOUT, "1s");

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    @Test
    void anHttp11VisitorTricklingItsHeadOverTlsGets408() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestTls.client().getSocketFactory().createSocket("127.0.0.1", edge.node().httpsPort())) {
            socket.startHandshake();
            long started = System.nanoTime();
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a.test\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = readUntilClosed(socket, BOUND_MILLIS);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Ray ID");
            assertThat(elapsed).isLessThan(BOUND_MILLIS);
        }
        assertThat(edge.origin().requests()).isEmpty();
    }

    @Test
    void aTlsVisitorPausingInItsBodyGets408() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestTls.client().getSocketFactory().createSocket("127.0.0.1", edge.node().httpsPort())) {
            socket.getOutputStream().write("POST /tls-upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 10\r\n\r\nab"
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            assertThat(readUntilClosed(socket, BOUND_MILLIS)).startsWith("HTTP/1.1 408 ")
                    .contains("The request body did not arrive in time.");
        }
    }

    @Test
    void anH2ConnectionOverTlsOutlivesTheHeaderTimeout() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().sslContext(TestTls.client()).version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 4; i++) {
            Mono.delay(Duration.ofMillis(600)).block();
            HttpResponse<String> response = h2.send(HttpRequest.newBuilder(URI.create(
                            "https://127.0.0.1:" + edge.node().httpsPort() + "/h2-" + i))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void aKeepAliveHttp11TlsConnectionServesRequestsSpreadOverLongerThanTheHeaderTimeout() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestTls.client().getSocketFactory().createSocket("127.0.0.1", edge.node().httpsPort())) {
            // One connection, requests 600 ms apart: 2.4 s in all, more than twice the head timeout.
            for (int i = 0; i < 4; i++) {
                Mono.delay(Duration.ofMillis(600)).block();
                socket.getOutputStream().write(("GET /h1-" + i + " HTTP/1.1\r\nHost: a.test\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                assertThat(readResponse(socket)).startsWith("HTTP/1.1 200 ").endsWith("ok 0");
            }
        }
        assertThat(edge.origin().requests()).extracting(r -> r.uri()).containsExactly("/h1-0", "/h1-1", "/h1-2", "/h1-3");
    }

    /** One response whose body is the origin's {@code ok 0}. */
    private static String readResponse(SSLSocket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!received.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\nok 0")) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) left);
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            received.write(buffer, 0, n);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readUntilClosed(SSLSocket socket, long limitMillis) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) left);
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException | SocketException e) {
                break;
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
