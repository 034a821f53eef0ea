package zoneplane.dataplane.logpush;

/**
 * A job's {@code sample_rate}, decided per record and deterministically: a record is kept when a hash of
 * its RayID (mixed with the job's id, so two jobs at 10 % keep different tenths) falls below the rate. The
 * same record is therefore kept or not whichever node or retry writes it, and the kept share converges on
 * the rate because ray ids are unique and well spread by the mix. A rate of 1 keeps every record.
 */
final class Sampling {

    private static final long SCALE = 1L << 24;

    private Sampling() {}

    static boolean keep(long jobId, String rayId, double rate) {
        if (rate >= 1) {
            return true;
        }
        long hash = jobId * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < rayId.length(); i++) {
            hash = (hash ^ rayId.charAt(i)) * 0x100000001B3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xFF51AFD7ED558CCDL;
        hash ^= hash >>> 33;
        return (hash >>> 40) < (long) (rate * SCALE);
    }
}
