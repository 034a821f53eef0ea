package zoneplane.dataplane.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * https origins through {@link OriginPool}: TLS with SNI and host-name verification against the
 * trusted CAs. A minimal front server stands in for the edge (the node trusts the JDK's CAs, which a
 * test origin cannot have a certificate from).
 */
class HttpsOriginTest {

    static X509Bundle certificate;
    static DisposableServer origin;
    static OriginPool pool;
    static PoolFront front;

    @BeforeAll
    static void start() throws Exception {
        certificate = new CertificateBuilder().subject("CN=origin").addSanDnsName("localhost")
                .setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        origin = HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(
                        certificate.getKeyPair().getPrivate(), certificate.getCertificate())))
                .handle((req, res) -> res.sendString(Mono.just("tls origin saw " + req.uri())))
                .bindNow();
        pool = new OriginPool(List.of(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60), 65536,
                SslContextBuilder.forClient().trustManager(certificate.getCertificate()).build(), true, OriginObserver.NONE);
        front = new PoolFront(pool);
    }

    @AfterAll
    static void stop() {
        front.close();
        pool.close();
        origin.disposeNow();
    }

    private static HttpResponse<String> via(String originUrl, String path) throws Exception {
        return front.get(originUrl, path);
    }

    @Test
    void httpsOriginIsReachedOverTlsWithItsName() throws Exception {
        HttpResponse<String> response = via("https://localhost:" + origin.port(), "/secure?x=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tls origin saw /secure?x=1");
    }

    @Test
    void certificateNotNamingTheOriginHostIsRefused() throws Exception {
        // The certificate names "localhost" only: reached by IP, verification must fail.
        HttpResponse<String> response = via("https://127.0.0.1:" + origin.port(), "/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("SSLHandshakeException");
    }

    @Test
    void plainHttpToATlsPortIsAnInvalidResponseNotAHang() throws Exception {
        HttpResponse<String> response = via("http://127.0.0.1:" + origin.port(), "/");

        assertThat(response.statusCode()).isEqualTo(502);
    }
}
