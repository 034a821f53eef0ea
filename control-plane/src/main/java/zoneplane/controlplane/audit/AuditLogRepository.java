package zoneplane.controlplane.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import zoneplane.controlplane.api.Timestamps;

/** Reads of the audit log, always within one account. There are no writes here but {@link AuditTrail}'s inserts. */
@Repository
class AuditLogRepository {

    private static final String WHERE = """
             where account_id = :account
               and (cast(:zone as text) is null or zone_id = :zone)
               and (cast(:setting as text) is null or setting_id = :setting)
               and (cast(:since as timestamptz) is null or at >= :since)
               and (cast(:before as timestamptz) is null or at < :before)
            """;

    private final JdbcClient jdbc;

    AuditLogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<AuditEntry> list(String accountId, AuditQuery query) {
        return bind(jdbc.sql("""
                select id, at, action, actor_type, token_id, account_id, zone_id, setting_id,
                       old_value::text as old_value, new_value::text as new_value, revision, request_id,
                       host(source_ip) as source_ip,
                       (select t.name from api_tokens t where t.id = audit_log.token_id) as token_name
                  from audit_log""" + WHERE + " order by id desc limit :limit offset :offset"), accountId, query)
                .param("limit", query.page().perPage())
                .param("offset", query.page().offset())
                .query(AuditLogRepository::map)
                .list();
    }

    long count(String accountId, AuditQuery query) {
        return bind(jdbc.sql("select count(*) from audit_log" + WHERE), accountId, query).query(Long.class).single();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, String accountId, AuditQuery query) {
        return spec.param("account", accountId)
                .param("zone", query.zoneId())
                .param("setting", query.settingId())
                .param("since", query.since() == null ? null : query.since().atOffset(ZoneOffset.UTC))
                .param("before", query.before() == null ? null : query.before().atOffset(ZoneOffset.UTC));
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                Long.toString(rs.getLong("id")),
                Timestamps.format(rs.getObject("at", OffsetDateTime.class).toInstant()),
                rs.getString("action"),
                new AuditEntry.Actor(rs.getString("actor_type"), rs.getString("token_id"), rs.getString("source_ip"),
                        rs.getString("token_name")),
                rs.getString("account_id"),
                rs.getString("zone_id"),
                rs.getString("setting_id"),
                rs.getString("old_value"),
                rs.getString("new_value"),
                rs.getObject("revision", Long.class),
                rs.getString("request_id"));
    }
}
