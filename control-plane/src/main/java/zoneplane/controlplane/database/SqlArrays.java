package zoneplane.controlplane.database;

import java.util.Collection;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * Array parameters for SQL such as {@code id = any (cast(:ids as text[]))}, bound as typed {@code
 * text[]} values (JDBC arrays), so the driver does the quoting.
 *
 * <p>Why not an array literal bound as text and cast in SQL: once the driver prepares a statement on
 * the server, PostgreSQL may run it with a generic plan, where a cast of a parameter is not a
 * constant, and a scan then parsed the literal again for every row it looked at. A profile of PATCH
 * load had that parsing at about a fifth of PostgreSQL's CPU. A typed parameter is parsed once.
 */
public final class SqlArrays {

    private SqlArrays() {}

    /** A {@code text[]} parameter holding {@code values} in order. */
    public static SqlArrayValue text(Collection<String> values) {
        return new SqlArrayValue("text", values.toArray());
    }
}
