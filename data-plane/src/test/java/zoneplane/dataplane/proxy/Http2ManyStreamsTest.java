package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.TestTls;
import zoneplane.dataplane.support.Zones;

/**
 * Many concurrent streams on few HTTP/2 connections (the h2load bench's shape, 10 and more streams per
 * connection), over TLS and h2c, with and without request bodies: every stream is answered.
 */
class Http2ManyStreamsTest {

    private static final int CONNECTIONS = 4;
    private static final int STREAMS_PER_CONNECTION = 50;
    private static final int BODY_BYTES = 20_000;

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("127.0.0.1", origin.url()).build()))
            .env(DataPlaneConfigLoader.TLS_CERT_FILE, TestTls.certFile())
            .env(DataPlaneConfigLoader.TLS_KEY_FILE, TestTls.keyFile());

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyStreamOverTlsIsAnswered() throws Exception {
        assertEveryStreamAnswered("https://127.0.0.1:" + edge.node().httpsPort(), true);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyStreamOverH2cIsAnswered() throws Exception {
        assertEveryStreamAnswered("http://127.0.0.1:" + edge.httpPort(), false);
    }

    /** One JDK client per connection (it keeps one HTTP/2 connection per origin), all streams at once. */
    private static void assertEveryStreamAnswered(String base, boolean tls) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(5));
            HttpClient client = (tls ? builder.sslContext(TestTls.client()) : builder).build();
            if (!tls) {
                // h2c comes by upgrade with the JDK client: the first exchange turns the connection to HTTP/2
                assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/upgrade")).build(),
                        HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);
            }
            for (int s = 0; s < STREAMS_PER_CONNECTION; s++) {
                boolean withBody = s % 2 == 1;
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/s/" + c + "/" + s))
                        .timeout(Duration.ofSeconds(30));
                if (withBody) {
                    request.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[BODY_BYTES]));
                }
                answers.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
                expected.add(withBody ? "ok " + BODY_BYTES : "ok 0");
            }
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(45, TimeUnit.SECONDS);
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> response = answers.get(i).join();
            assertThat(response.statusCode()).as("stream %d", i).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).as("stream %d", i).isEqualTo(expected.get(i));
        }
    }
}
