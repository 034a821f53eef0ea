package zoneplane.dataplane.headers;

import java.util.concurrent.ThreadLocalRandom;

/** Ray ids {@code <16 lower-hex>-<node>} (Cloudflare's shape), random per request; unique enough to search logs. */
public final class RayIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String suffix;

    public RayIds(String nodeId) {
        this.suffix = "-" + nodeId;
    }

    public String next() {
        long random = ThreadLocalRandom.current().nextLong();
        char[] ray = new char[16 + suffix.length()];
        for (int i = 15; i >= 0; i--) {
            ray[i] = HEX[(int) (random & 0xF)];
            random >>>= 4;
        }
        suffix.getChars(0, suffix.length(), ray, 16);
        return new String(ray);
    }
}
