package zoneplane.controlplane.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * client address come from the current request, or from the {@link Actor} taken on the request's
 * thread when the change is written on another (group commit); outside a request (a scheduled job)
 * the actor is "system". Nothing here can update or delete a row, and the database refuses it anyway.
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

    /**
     * Who made a change and through which request: the token (or the operator, or "system" outside a
     * request), the request id and the client address. Taken on the request's thread by
     * {@link #currentActor}, so a change written later on another thread is attributed to its request.
     */
    public record Actor(String type, String tokenId, String requestId, String sourceIp) {}

    /** The actor of the current request, or "system" outside one. */
    public static Actor currentActor() {
        Optional<HttpServletRequest> request = currentRequest();
        Optional<Caller> caller = request.flatMap(Caller::of);
        return new Actor(
                caller.map(c -> c.isOperator() ? "operator" : "token").orElse("system"),
                caller.filter(c -> !c.isOperator()).map(Caller::tokenId).orElse(null),
                request.flatMap(RequestIdFilter::of).orElse(null),
                request.map(HttpServletRequest::getRemoteAddr).map(AuditTrail::ipLiteral).orElse(null));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEvent event) {
        record(List.of(new Attributed(event, currentActor())));
    }

    /** An event and who caused it. */
    public record Attributed(AuditEvent event, Actor actor) {}

    /** Appends the events in one statement (changes of several requests committed together). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(List<Attributed> events) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Attributed attributed : events) {
            AuditEvent event = attributed.event();
            Actor actor = attributed.actor();
            Map<String, Object> row = new HashMap<>();
            row.put("ordinal", rows.size());
            row.put("account_id", event.accountId());
            row.put("actor_type", actor.type());
            row.put("token_id", actor.tokenId());
            row.put("action", event.action().wire());
            row.put("zone_id", event.zoneId());
            row.put("setting_id", event.settingId());
            row.put("old_value", event.oldValue());
            row.put("new_value", event.newValue());
            row.put("revision", event.revision());
            row.put("request_id", actor.requestId());
            row.put("source_ip", actor.sourceIp());
            rows.add(row);
        }
        jdbc.sql("""
                insert into audit_log (account_id, actor_type, token_id, action, zone_id, setting_id,
                                       old_value, new_value, revision, request_id, source_ip)
                select account_id, actor_type, token_id, action, zone_id, setting_id,
                       old_value, new_value, revision, request_id, cast(source_ip as inet)
                from jsonb_to_recordset(cast(:rows as jsonb))
                    as t(ordinal int, account_id text, actor_type text, token_id text, action text, zone_id text, setting_id text,
                         old_value jsonb, new_value jsonb, revision bigint, request_id text, source_ip text)
                order by ordinal
                """)
                .param("rows", json.writeValueAsString(rows))
                .update();
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
