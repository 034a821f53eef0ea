package zoneplane.controlplane.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The one way a presented secret is turned into what is stored and compared: SHA-256 of its UTF-8
 * bytes. Secrets here are ≥ 160 random bits (API tokens) or an operator-chosen string of at least
 * {@link #MIN_BOOTSTRAP_LENGTH} characters, so a fast hash cannot be brute-forced; comparisons of
 * digests use {@link MessageDigest#isEqual} (constant time).
 */
public final class TokenDigest {

    /** RFC 6750 {@code b64token} (token68): what may follow {@code Bearer } in the header. */
    public static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    public static final int MAX_LENGTH = 512;
    public static final int MIN_BOOTSTRAP_LENGTH = 20;

    private TokenDigest() {}

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether the string can be sent as a bearer token at all. */
    public static boolean wellFormed(String secret) {
        return secret != null && !secret.isEmpty() && secret.length() <= MAX_LENGTH && TOKEN68.matcher(secret).matches();
    }
}
