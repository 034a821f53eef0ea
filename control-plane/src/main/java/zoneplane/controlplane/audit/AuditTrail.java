package zoneplane.controlplane.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.controlplane.auth.Caller;

/**
 * Appends rows to the audit log. {@link #record} must run inside the transaction of the change it
 * describes ({@code Propagation.MANDATORY}: it fails without one), so a change and its audit row
 * commit or roll back together. Who changed it (token id or operator), the request id and the
 * client address come from the current request; outside a request (a scheduled job) the actor is
 * "system". Nothing here can update or delete a row, and the database refuses it anyway.
 */
@Component
public class AuditTrail {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditTrail(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEvent event) {
        Optional<HttpServletRequest> request = currentRequest();
        Optional<Caller> caller = request.flatMap(Caller::of);
        String actorType = caller.map(c -> c.isOperator() ? "operator" : "token").orElse("system");
        jdbc.sql("""
                insert into audit_log (account_id, actor_type, token_id, action, zone_id, setting_id,
                                       old_value, new_value, revision, request_id, source_ip)
                values (:account, :actor, :token, :action, :zone, :setting,
                        cast(:old as jsonb), cast(:new as jsonb), :revision, :request, cast(:ip as inet))
                """)
                .param("account", event.accountId())
                .param("actor", actorType)
                .param("token", caller.filter(c -> !c.isOperator()).map(Caller::tokenId).orElse(null))
                .param("action", event.action().wire())
                .param("zone", event.zoneId())
                .param("setting", event.settingId())
                .param("old", toJson(event.oldValue()))
                .param("new", toJson(event.newValue()))
                .param("revision", event.revision())
                .param("request", request.flatMap(RequestIdFilter::of).orElse(null))
                .param("ip", request.map(HttpServletRequest::getRemoteAddr).map(AuditTrail::ipLiteral).orElse(null))
                .update();
    }

    private String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    /** The client address as PostgreSQL's inet accepts it, or null (the row must never fail on it). */
    static String ipLiteral(String address) {
        if (address == null) {
            return null;
        }
        int scope = address.indexOf('%');
        String bare = scope >= 0 ? address.substring(0, scope) : address;
        if (IPV4.matcher(bare).matches()) {
            return bare;
        }
        if (bare.indexOf(':') < 0 || !IPV6.matcher(bare).matches()) {
            return null;
        }
        try {
            // a literal containing ':' is only parsed, never resolved
            return InetAddress.getByName(bare).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Optional<HttpServletRequest> currentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? Optional.of(servlet.getRequest()) : Optional.empty();
    }
}
