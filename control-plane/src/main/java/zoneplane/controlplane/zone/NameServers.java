package zoneplane.controlplane.zone;

import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The name servers a zone is told to delegate to ({@code name_servers}): as on Cloudflare, each
 * account gets one pair, the same for all its zones, picked from a list of names by its id, under
 * the operator's {@link ZoneProperties#nameServerDomain}.
 */
@Component
class NameServers {

    private static final List<String> NAMES = List.of("ada", "ben", "cleo", "dan", "eva", "finn", "gail", "hugo",
            "iris", "jay", "kai", "lena", "max", "nora", "otto", "pia");

    private final String domain;

    NameServers(ZoneProperties properties) {
        this.domain = properties.nameServerDomain();
    }

    /** Two distinct names under the domain, fixed for the account. */
    List<String> of(String accountId) {
        int hash = Math.floorMod(accountId.hashCode(), NAMES.size() * (NAMES.size() - 1));
        int first = hash % NAMES.size();
        int second = (first + 1 + hash / NAMES.size()) % NAMES.size();
        return List.of(NAMES.get(first) + "." + domain, NAMES.get(second) + "." + domain);
    }
}
