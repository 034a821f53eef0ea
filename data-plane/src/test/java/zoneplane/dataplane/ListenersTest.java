package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.RecordedRequest;
import zoneplane.dataplane.support.Zones;

/** h2 over TLS (ALPN) and HTTP/1.1 on the https port, h2c and HTTP/1.1 on the http port, IPv4 and IPv6. */
class ListenersTest {

    static final X509Bundle certificate = selfSigned();
    static final Path certFile;
    static final Path keyFile;

    static {
        try {
            Path dir = Files.createTempDirectory("zoneplane-tls");
            certFile = Files.writeString(dir.resolve("cert.pem"), certificate.getCertificatePathPEM());
            keyFile = Files.writeString(dir.resolve("key.pem"), certificate.getPrivateKeyPEM());
            dir.toFile().deleteOnExit();
            certFile.toFile().deleteOnExit();
            keyFile.toFile().deleteOnExit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("127.0.0.1", origin.url()).build(),
                    Zones.zone("a.test", origin.url()).build()))
            .env(DataPlaneConfigLoader.TLS_CERT_FILE, certFile.toString())
            .env(DataPlaneConfigLoader.TLS_KEY_FILE, keyFile.toString());

    static X509Bundle selfSigned() {
        try {
            return new CertificateBuilder().subject("CN=zoneplane-test").addSanIpAddress("127.0.0.1")
                    .addSanDnsName("a.test").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void clear() {
        edge.origin().clear();
    }

    private static HttpClient tlsClient(HttpClient.Version version) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, certificate.toTrustManagerFactory().getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void tlsListenerSpeaksHttp2ByAlpnAndTellsTheOriginHttps() throws Exception {
        HttpResponse<String> response = tlsClient(HttpClient.Version.HTTP_2).send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.node().httpsPort() + "/tls")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("cf-ray").orElseThrow()).matches("[0-9a-f]{16}-TST");
        RecordedRequest seen = edge.origin().last();
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.header("CF-Visitor")).isEqualTo("{\"scheme\":\"https\"}");
        assertThat(seen.protocol()).isEqualTo("HTTP/1.1");
    }

    @Test
    void tlsListenerAlsoSpeaksHttp11() throws Exception {
        HttpResponse<String> response = tlsClient(HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.node().httpsPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void plainListenerUpgradesToH2c() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort() + "/h2c")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(edge.origin().last().header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void http2RequestBodyReachesAnHttp11OriginChunked() throws Exception {
        HttpResponse<String> response = tlsClient(HttpClient.Version.HTTP_2).send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.node().httpsPort() + "/up"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                                new byte[70_000])))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok 70000");
    }

    @Test
    void theSamePortServesIpv4AndIpv6Visitors() {
        assertThat(edge.send(edge.request("a.test", "/", false)).statusCode()).isEqualTo(200);
        assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(edge.send(edge.request("a.test", "/", true)).statusCode()).isEqualTo(200);
        assertThat(edge.origin().last().header("CF-Connecting-IP")).isEqualTo("::1");
    }

    @Test
    void theManagementPortTellsWhenTheListenersCertificateExpires() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edge.node().managementPort() + DataPlaneEndpoints.METRICS_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        String prefix = "zoneplane_edge_tls_certificate_not_after_timestamp_seconds{subject=\"CN=zoneplane-test\"} ";
        String line = metrics.body().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no certificate expiry in\n" + metrics.body()));
        assertThat(Double.parseDouble(line.substring(prefix.length())))
                .isEqualTo((double) certificate.getCertificate().getNotAfter().toInstant().getEpochSecond());
    }
}
