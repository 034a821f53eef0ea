package zoneplane.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bulk PATCH of scenario 5 and what came of it. Attempt {@code j} of a zone sets {@code max_upload}
 * and {@code pseudo_ipv4} to a pair no other attempt of that zone uses (nor the zone's defaults), so the
 * stored pair tells exactly which attempt's transaction is the latest that committed.
 *
 * @param index attempt number within its zone (from 1)
 * @param status HTTP status, or -1 when the call threw (timeout, connection error)
 * @param envelope the answer was a Cloudflare envelope (success or error)
 * @param success 200 with {@code success: true}
 * @param revision {@code Zoneplane-Revision} of a success, else -1
 * @param millis how long the call took
 * @param detail the body or exception, for failure messages
 */
record PatchAttempt(int index, int status, boolean envelope, boolean success, long revision, long millis, String detail) {

    /** Attempts per zone stay below this so every attempt's pair is unique (see {@link #values}). */
    static final int MAX_PER_ZONE = 45;
    private static final List<Integer> UPLOADS = uploads();
    private static final String[] PSEUDO = {"off", "add_header", "overwrite_header"};

    static Map<String, String> values(int index) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("max_upload", Integer.toString(maxUpload(index)));
        values.put("pseudo_ipv4", pseudo(index));
        return values;
    }

    /** Skips 500 (the Enterprise default), so no attempt's pair equals the zone's initial one. */
    static int maxUpload(int index) {
        return UPLOADS.get(index % UPLOADS.size());
    }

    static String pseudo(int index) {
        return PSEUDO[index % PSEUDO.length];
    }

    private static List<Integer> uploads() {
        List<Integer> values = new ArrayList<>();
        for (int mb = 100; mb < 500; mb += 25) {
            values.add(mb);
        }
        for (int mb = 1000; mb <= 5000; mb += 500) {
            values.add(mb);
        }
        return values;
    }
}
