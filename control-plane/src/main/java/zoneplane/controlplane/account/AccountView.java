package zoneplane.controlplane.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import zoneplane.controlplane.api.Timestamps;

/** An account as the API shows it (Cloudflare's account object: id, name, type, created_on). */
public record AccountView(String id, String name, String type, @JsonProperty("created_on") String createdOn) {

    static AccountView of(Account account) {
        return new AccountView(account.id(), account.name(), "standard", Timestamps.format(account.createdOn()));
    }
}
