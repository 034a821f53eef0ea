package zoneplane.controlplane.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The operator's bootstrap token: full rights over every account (create accounts, mint their first
 * tokens). Only its SHA-256 is kept in memory after start-up.
 *
 * <p>Start-up contract: outside the {@code local}, {@code dev} and {@code test} profiles the control
 * plane refuses to start without one, so a production deployment can never run with no operator
 * credential or with a default one (there is none anywhere). In those profiles, without one, the
 * operator simply cannot call the API. A configured token must be a valid bearer token (RFC 6750
 * characters) of at least {@value TokenDigest#MIN_BOOTSTRAP_LENGTH} characters. Only the serving
 * application needs it: the migrate-only job (no web server) starts without.
 */
@Component
@ConditionalOnWebApplication
public class BootstrapToken {

    static final Profiles MAY_RUN_WITHOUT = Profiles.of("local | dev | test");

    private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

    private final byte[] digest;

    BootstrapToken(BootstrapTokenProperties properties, Environment environment) {
        String secret = read(properties);
        if (secret == null) {
            if (!environment.acceptsProfiles(MAY_RUN_WITHOUT)) {
                throw new IllegalStateException("No operator bootstrap token configured. Set ZONEPLANE_BOOTSTRAP_TOKEN "
                        + "(zoneplane.bootstrap-token) or ZONEPLANE_BOOTSTRAP_TOKEN_FILE (zoneplane.bootstrap-token-file, "
                        + "e.g. a mounted secret) to a random string of at least " + TokenDigest.MIN_BOOTSTRAP_LENGTH
                        + " characters. Only the local, dev and test profiles may start without one.");
            }
            log.warn("No operator bootstrap token configured (profile local/dev/test): operator API calls are disabled");
            this.digest = null;
            return;
        }
        if (secret.length() < TokenDigest.MIN_BOOTSTRAP_LENGTH || !TokenDigest.wellFormed(secret)) {
            throw new IllegalStateException("The operator bootstrap token must be " + TokenDigest.MIN_BOOTSTRAP_LENGTH + " to "
                    + TokenDigest.MAX_LENGTH + " characters of A-Z a-z 0-9 - . _ ~ + / (optionally ending in =)");
        }
        this.digest = TokenDigest.sha256(secret);
    }

    /** Whether a presented secret's digest is the bootstrap token's (constant-time comparison). */
    public boolean matches(byte[] presentedDigest) {
        return digest != null && MessageDigest.isEqual(digest, presentedDigest);
    }

    public boolean configured() {
        return digest != null;
    }

    private static String read(BootstrapTokenProperties properties) {
        boolean inline = properties.bootstrapToken() != null && !properties.bootstrapToken().isBlank();
        if (inline && properties.bootstrapTokenFile() != null) {
            throw new IllegalStateException("Set either zoneplane.bootstrap-token or zoneplane.bootstrap-token-file, not both");
        }
        if (inline) {
            return properties.bootstrapToken().strip();
        }
        if (properties.bootstrapTokenFile() == null) {
            return null;
        }
        try {
            String secret = Files.readString(properties.bootstrapTokenFile(), StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException("zoneplane.bootstrap-token-file " + properties.bootstrapTokenFile() + " is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read zoneplane.bootstrap-token-file " + properties.bootstrapTokenFile()
                    + ": " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "BootstrapToken[" + (digest == null ? "none" : "configured") + "]";
    }
}
