package zoneplane.dataplane.management;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * {@code zoneplane_edge_tls_certificate_not_after_timestamp_seconds}: when the HTTPS listener's
 * certificate (the first of {@code ZONEPLANE_TLS_CERT_FILE}, the leaf) expires, as a Unix time, so an
 * alert can fire days before visitors see an expired certificate (the chart's
 * ZoneplaneEdgeCertificateExpiring). Read once at start, as the listener reads the file.
 */
public final class CertificateMeters {

    private CertificateMeters() {}

    /** Registers the gauge for the certificate in {@code pemFile}; the listener has already accepted the file. */
    public static void bind(MeterRegistry registry, Path pemFile) {
        X509Certificate leaf = leaf(pemFile);
        double notAfter = leaf.getNotAfter().toInstant().getEpochSecond();
        Gauge.builder("zoneplane.edge.tls.certificate.not.after.timestamp", () -> notAfter)
                .description("When the HTTPS listener's certificate expires (Unix time, seconds)")
                .baseUnit("seconds")
                .tag("subject", leaf.getSubjectX500Principal().getName())
                .register(registry);
    }

    static X509Certificate leaf(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(in).iterator().next();
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalStateException("cannot read the TLS certificate " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
