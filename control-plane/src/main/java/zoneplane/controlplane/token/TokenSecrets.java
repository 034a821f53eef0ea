package zoneplane.controlplane.token;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * New token ids and secrets. A secret is {@code zpt_} followed by 256 random bits in unpadded
 * base64url (47 characters): far above the 160 bits SPEC §3.3 asks, valid as an RFC 6750 bearer
 * token, and recognisable by secret scanners through its prefix.
 */
final class TokenSecrets {

    static final String PREFIX = "zpt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {}

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
