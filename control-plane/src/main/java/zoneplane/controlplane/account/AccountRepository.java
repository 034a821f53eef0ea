package zoneplane.controlplane.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.api.PageRequest;

/** Accounts in PostgreSQL. Every read is limited to an {@link AccountScope}. */
@Repository
public class AccountRepository {

    private static final String SCOPED = "(cast(:scope as text) is null or id = :scope)";

    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Account insert(String id, String name) {
        return jdbc.sql("insert into accounts (id, name) values (:id, :name) returning id, name, created_on")
                .param("id", id)
                .param("name", name)
                .query(AccountRepository::map)
                .single();
    }

    public Optional<Account> find(AccountScope scope, String id) {
        return jdbc.sql("select id, name, created_on from accounts where id = :id and " + SCOPED)
                .param("id", id)
                .param("scope", scope.sqlParameter())
                .query(AccountRepository::map)
                .optional();
    }

    /** The account, or 404 (code 1002) when it does not exist or is outside the scope. */
    public Account require(AccountScope scope, String id) {
        return find(scope, id).orElseThrow(() -> new ApiException(ApiErrorCode.UNKNOWN_ACCOUNT,
                "Invalid account identifier"));
    }

    List<Account> list(AccountScope scope, PageRequest page) {
        return jdbc.sql("select id, name, created_on from accounts where " + SCOPED
                        + " order by created_on, id limit :limit offset :offset")
                .param("scope", scope.sqlParameter())
                .param("limit", page.perPage())
                .param("offset", page.offset())
                .query(AccountRepository::map)
                .list();
    }

    long count(AccountScope scope) {
        return jdbc.sql("select count(*) from accounts where " + SCOPED)
                .param("scope", scope.sqlParameter())
                .query(Long.class)
                .single();
    }

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("name"),
                rs.getObject("created_on", OffsetDateTime.class).toInstant());
    }
}
