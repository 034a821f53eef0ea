package zoneplane.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.Http2SslContextSpec;
import zoneplane.dataplane.support.TestTls;

/** The in-memory handshakes the node runs with its https listener's context before taking visitors. */
class TlsWarmUpTest {

    private static Http2SslContextSpec listenerContext() {
        return Http2SslContextSpec.forServer(new File(TestTls.certFile()), new File(TestTls.keyFile()));
    }

    @Test
    void shakesHandsWithTheListenersOwnContextAndAlpnChoosesH2() throws Exception {
        assertThat(TlsWarmUp.handshake(listenerContext().sslContext(), new File(TestTls.certFile()), 3))
                .isEqualTo("h2");
    }

    @Test
    void aClientThatDoesNotTrustTheListenersCertificateFailsTheHandshake() throws Exception {
        X509Bundle other = new CertificateBuilder().subject("CN=other").setIsCertificateAuthority(true).ecp256()
                .buildSelfSigned();
        Path otherCert = Files.createTempFile("zoneplane-other", ".pem");
        try {
            Files.writeString(otherCert, other.getCertificatePathPEM());
            assertThatThrownBy(() -> TlsWarmUp.handshake(listenerContext().sslContext(), otherCert.toFile(), 1))
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("handshake failed");
        } finally {
            Files.deleteIfExists(otherCert);
        }
    }

    @Test
    void roundsMustBePositive() {
        assertThatThrownBy(() -> TlsWarmUp.handshake(listenerContext().sslContext(), new File(TestTls.certFile()), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rounds must be at least 1");
    }
}
