package zoneplane.controlplane.analytics;

import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Unique visitors as Apache DataSketches HLL sketches: nodes send one per zone-minute, and every
 * coarser number (a zone-minute over nodes, an hour, a day, a query's group) is the union of the
 * finer sketches, never a sum, so a visitor seen by two nodes or in two minutes counts once. An
 * empty byte array is the sketch of no visitor. Not thread-safe: one per aggregation.
 */
final class Uniques {

    /** Largest lgK kept in unions (nodes may send smaller ones; a union keeps the smallest it saw). */
    static final int LG_MAX_K = 12;

    private final Union union = new Union(LG_MAX_K);
    private boolean empty = true;

    /** Adds a serialized sketch; throws {@link IllegalArgumentException} when the bytes are none. */
    void add(byte[] sketch) {
        if (sketch == null || sketch.length == 0) {
            return;
        }
        union.update(heapify(sketch));
        empty = false;
    }

    long estimate() {
        return empty ? 0 : Math.round(union.getEstimate());
    }

    byte[] toBytes() {
        return empty ? new byte[0] : union.getResult(TgtHllType.HLL_4).toCompactByteArray();
    }

    /** Whether {@code sketch} is empty or a readable HLL sketch. */
    static boolean readable(byte[] sketch) {
        if (sketch.length == 0) {
            return true;
        }
        try {
            heapify(sketch);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static HllSketch heapify(byte[] sketch) {
        try {
            return HllSketch.heapify(sketch);
        } catch (SketchesException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not an HLL sketch: " + e.getMessage(), e);
        }
    }
}
