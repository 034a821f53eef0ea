package zoneplane.controlplane.api;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random object identifiers in Cloudflare's shape: 32 lowercase hex characters (128 bits). */
public final class Identifiers {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Identifiers() {}

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    public static boolean isId(String candidate) {
        if (candidate == null || candidate.length() != 32) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
