package zoneplane.dataplane.support;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * One self-signed certificate for 127.0.0.1 per JVM, as the node's PEM files (for
 * {@code ZONEPLANE_TLS_CERT_FILE}/{@code KEY_FILE}) and as a client {@link SSLContext} that trusts it.
 */
public final class TestTls {

    private static final X509Bundle CERTIFICATE = selfSigned();
    private static final Path CERT_FILE = pem("cert.pem", CERTIFICATE.getCertificatePathPEM());
    private static final Path KEY_FILE = pem("key.pem", CERTIFICATE.getPrivateKeyPEM());

    private TestTls() {}

    public static String certFile() {
        return CERT_FILE.toString();
    }

    public static String keyFile() {
        return KEY_FILE.toString();
    }

    /** A client context that trusts the certificate. */
    public static SSLContext client() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, CERTIFICATE.toTrustManagerFactory().getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path pem(String name, String content) {
        try {
            Path dir = Files.createTempDirectory("zoneplane-test-tls");
            Path file = Files.writeString(dir.resolve(name), content);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Bundle selfSigned() {
        try {
            return new CertificateBuilder().subject("CN=zoneplane-test").addSanIpAddress("127.0.0.1")
                    .setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
