package zoneplane.controlplane.zone;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.Identifiers;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.database.SqlArrays;
import zoneplane.model.Plan;

/**
 * Zones in PostgreSQL. Every read takes the caller's {@link AccountScope}: a zone outside it is
 * answered exactly like a zone that does not exist (404, code 1001), so nobody learns it exists.
 */
@Repository
public class ZoneRepository {

    private static final String COLUMNS = "select z.id, z.account_id, a.name as account_name, z.name, z.plan, z.origin,"
            + " z.paused, z.type, z.status, z.created_on, z.modified_on, z.activated_on";
    private static final String FROM = " from zones z join accounts a on a.id = z.account_id";
    private static final String SELECT = COLUMNS + FROM;
    private static final String LOCK = " for update of z";
    private static final String SCOPED = "(cast(:scope as text) is null or z.account_id = :scope)"
            + " and (cast(:scope_zones as text[]) is null or z.id = any (cast(:scope_zones as text[])))";

    private final JdbcClient jdbc;

    ZoneRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The zone, or 404 when it does not exist or is outside the scope. */
    public Zone require(AccountScope scope, String zoneId) {
        return find(scope, zoneId, "").orElseThrow(ZoneRepository::notFound);
    }

    /**
     * The zone, locked until the end of the caller's transaction ({@code for update}): every change
     * to a zone or its settings takes this lock first, so concurrent edits of one zone serialise and
     * each sees the previous one's result.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Zone requireLocked(AccountScope scope, String zoneId) {
        return find(scope, zoneId, LOCK).orElseThrow(ZoneRepository::notFound);
    }

    /**
     * The zone and, in the same round trip, the rows of another table that belong to it: {@code joined}
     * names that table's columns and a {@code left join} on {@code z}, and {@code eachJoinedRow} sees
     * every joined row (one row of nulls when there is none). For reads that need a zone and its rows
     * together; one statement sees one snapshot, so the two agree. Not for changes: a statement that
     * waits for a row lock sees the locked row's newest version but the joined rows as they were.
     */
    public Zone require(AccountScope scope, String zoneId, Joined joined, RowCallbackHandler eachJoinedRow) {
        if (!Identifiers.isId(zoneId)) {
            throw notFound();
        }
        Zone[] zone = new Zone[1];
        scoped(COLUMNS + joined.columns() + FROM + " " + joined.join(), zoneId, scope, "").query(rs -> {
            if (zone[0] == null) {
                zone[0] = map(rs, 0);
            }
            eachJoinedRow.processRow(rs);
        });
        if (zone[0] == null) {
            throw notFound();
        }
        return zone[0];
    }

    /**
     * These zones, each locked as {@link #requireLocked} locks one, by id; ids that name no zone are
     * absent. Locks are taken in id order, so two callers locking overlapping sets cannot deadlock, and
     * a caller holding one zone lock (then taking the revision lock) never waits for a caller of this.
     * No scope: the caller checks each zone's account ({@link AccountScope#covers}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<String, Zone> lockAll(Collection<String> zoneIds) {
        Map<String, Zone> locked = new HashMap<>();
        jdbc.sql(SELECT + " where z.id = any (cast(:ids as text[])) order by z.id" + LOCK)
                .param("ids", SqlArrays.text(zoneIds.stream().filter(Identifiers::isId).toList()))
                .query(ZoneRepository::map)
                .list()
                .forEach(zone -> locked.put(zone.id(), zone));
        return locked;
    }

    /**
     * Columns ({@code ", s.a as s_a"}, each aliased so it cannot shadow a zone column) and the
     * {@code left join ... on ... = z.id} that {@link #require(AccountScope, String, Joined,
     * RowCallbackHandler)} adds to the zone query.
     */
    public record Joined(String columns, String join) {}

    private Optional<Zone> find(AccountScope scope, String zoneId, String lock) {
        if (!Identifiers.isId(zoneId)) {
            return Optional.empty();
        }
        return scoped(SELECT, zoneId, scope, lock).query(ZoneRepository::map).optional();
    }

    private JdbcClient.StatementSpec scoped(String select, String zoneId, AccountScope scope, String lock) {
        return jdbc.sql(select + " where z.id = :id and " + SCOPED + lock)
                .param("id", zoneId)
                .param("scope", scope.sqlParameter())
                .param("scope_zones", scope.zonesSqlParameter());
    }

    /**
     * Serialises, until the caller's transaction ends, every creation and activation of zones named
     * {@code name} (a transaction-scoped advisory lock on the name's hash): the checks "does this
     * account hold the name" and "is the name active elsewhere" stay true until commit.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void lockName(String name) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:name, 34))").param("name", name).query().singleRow();
    }

    /** Whether {@code accountId} holds a zone of this name, whatever its status. */
    boolean accountHolds(String accountId, String name) {
        return jdbc.sql("select exists (select 1 from zones where account_id = :account and name = :name)")
                .param("account", accountId).param("name", name).query(Boolean.class).single();
    }

    /** The id of the active zone of this name other than {@code exceptId}, if any (any account). */
    Optional<String> activeHolder(String name, String exceptId) {
        return jdbc.sql("select id from zones where name = :name and status = 'active' and id <> :except")
                .param("name", name).param("except", exceptId).query(String.class).optional();
    }

    /**
     * Inserts a zone, active (activated now) or pending. The caller holds {@link #lockName} and has
     * checked that the account does not hold the name and, for an active zone, that no zone of the
     * name is active: the unique indexes would refuse either.
     */
    void insert(String id, String accountId, String name, Plan plan, String origin, String type, boolean active) {
        jdbc.sql("insert into zones (id, account_id, name, plan, origin, type, status, activated_on)"
                        + " values (:id, :account, :name, :plan, :origin, :type, :status,"
                        + " case when :status = 'active' then now() end)")
                .param("id", id)
                .param("account", accountId)
                .param("name", name)
                .param("plan", plan.id())
                .param("origin", origin.isEmpty() ? null : origin)
                .param("type", type)
                .param("status", active ? Zone.ACTIVE : Zone.PENDING)
                .update();
    }

    /** Sets the zone's status; becoming active sets activated_on. */
    void setStatus(String id, String status) {
        jdbc.sql("update zones set status = :status, modified_on = now(),"
                        + " activated_on = case when :status = 'active' then now() else activated_on end where id = :id")
                .param("id", id)
                .param("status", status)
                .update();
    }

    void update(String id, Plan plan, String origin, boolean paused) {
        jdbc.sql("update zones set plan = :plan, origin = :origin, paused = :paused, modified_on = now() where id = :id")
                .param("id", id)
                .param("plan", plan.id())
                .param("origin", origin.isEmpty() ? null : origin)
                .param("paused", paused)
                .update();
    }

    void delete(String id) {
        jdbc.sql("delete from zones where id = :id").param("id", id).update();
    }

    List<Zone> list(AccountScope scope, ZoneFilter filter, PageRequest page) {
        return filtered(SELECT, scope, filter, " order by " + filter.orderBy() + " limit :limit offset :offset")
                .param("limit", page.perPage())
                .param("offset", page.offset())
                .query(ZoneRepository::map)
                .list();
    }

    long count(AccountScope scope, ZoneFilter filter) {
        return filtered("select count(*)" + FROM, scope, filter, "").query(Long.class).single();
    }

    private JdbcClient.StatementSpec filtered(String select, AccountScope scope, ZoneFilter filter, String tail) {
        return jdbc.sql(select + " where " + SCOPED + " and " + filter.where() + tail)
                .param("scope", scope.sqlParameter())
                .param("scope_zones", scope.zonesSqlParameter())
                .params(filter.parameters());
    }

    public static ApiException notFound() {
        return new ApiException(ApiErrorCode.INVALID_ZONE, "Invalid zone identifier");
    }

    private static Zone map(ResultSet rs, int row) throws SQLException {
        String origin = rs.getString("origin");
        OffsetDateTime activatedOn = rs.getObject("activated_on", OffsetDateTime.class);
        return new Zone(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("account_name"),
                rs.getString("name"),
                Plan.fromId(rs.getString("plan")).orElseThrow(() -> new IllegalStateException("unknown plan in zones row")),
                origin == null ? "" : origin,
                rs.getBoolean("paused"),
                rs.getString("type"),
                rs.getString("status"),
                rs.getObject("created_on", OffsetDateTime.class).toInstant(),
                rs.getObject("modified_on", OffsetDateTime.class).toInstant(),
                activatedOn == null ? null : activatedOn.toInstant());
    }
}
