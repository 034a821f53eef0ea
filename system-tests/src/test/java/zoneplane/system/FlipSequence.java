package zoneplane.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings states scenario 1 walks through, one bulk PATCH (one revision) each. State {@code k}
 * sets {@code true_client_ip_header} and {@code ip_geolocation} together (on for even k, off for odd)
 * and {@code pseudo_ipv4} to off / add_header / overwrite_header by {@code k % 3}: six distinct,
 * observable combinations with period 6. A response showing one of the pair without the other is a
 * torn config; a state that only an earlier PATCH could have produced means the node went backwards.
 */
final class FlipSequence {

    static final int PERIOD = 6;
    private static final String[] PSEUDO = {"off", "add_header", "overwrite_header"};

    private FlipSequence() {}

    static Map<String, String> settings(int k) {
        String pair = k % 2 == 0 ? "on" : "off";
        Map<String, String> values = new LinkedHashMap<>();
        values.put("true_client_ip_header", pair);
        values.put("ip_geolocation", pair);
        values.put("pseudo_ipv4", PSEUDO[k % 3]);
        return values;
    }

    /**
     * The phase (0..5) of what the origin received from an IPv6 visitor, or -1 when the pair is torn.
     * The pair shows as {@code True-Client-IP} and {@code CF-IPCountry}; pseudo_ipv4 as
     * {@code CF-Connecting-IPv6} (overwrite_header) or {@code Cf-Pseudo-IPv4} alone (add_header).
     */
    static int phaseOf(Visitor.Answer answer) {
        boolean trueClientIp = answer.originHas("true-client-ip");
        boolean country = answer.originHas("cf-ipcountry");
        if (trueClientIp != country) {
            return -1;
        }
        int pseudo = answer.originHas("cf-connecting-ipv6") ? 2 : answer.originHas("cf-pseudo-ipv4") ? 1 : 0;
        int parity = trueClientIp ? 0 : 1;
        for (int k = 0; k < PERIOD; k++) {
            if (k % 2 == parity && k % 3 == pseudo) {
                return k;
            }
        }
        throw new IllegalStateException("unreachable: every parity/pseudo pair has a phase");
    }

    /**
     * The smallest state index {@code >= from} with the given phase: with a monotonic node, the index
     * the observation corresponds to can be no smaller (a greedy lower bound that never overshoots).
     */
    static int nextIndexWithPhase(int from, int phase) {
        return from + Math.floorMod(phase - from, PERIOD);
    }
}
