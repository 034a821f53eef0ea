package zoneplane.controlplane.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;

/** PostgreSQL gets a typed array and reads back exactly its values, quotes, backslashes and commas included. */
class SqlArraysTest extends ControlPlaneIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void postgresqlReadsEachValueBackAsItWas() {
        List<String> values = List.of("0123456789abcdef0123456789abcdef", "zone:read", "a,b", "say \"hi\"", "back\\slash", "{}", "");
        List<String> read = jdbc.sql("select cast(:values as text[]) as a").param("values", SqlArrays.text(values))
                .query((rs, row) -> {
                    Array array = rs.getArray("a");
                    return Arrays.asList((String[]) array.getArray());
                })
                .single();
        assertThat(read).containsExactlyElementsOf(values);
        assertThat(jdbc.sql("select cardinality(cast(:values as text[]))").param("values", SqlArrays.text(List.of()))
                .query(Integer.class).single()).isZero();
    }

    @Test
    void theParameterArrivesAsATypedArrayNotAsTextToCastPerRow() {
        // a text parameter cast in SQL is parsed again for every row a generic plan scans
        assertThat(jdbc.sql("select cast(pg_typeof(:values) as text)").param("values", SqlArrays.text(List.of("a", "b")))
                .query(String.class).single()).isEqualTo("text[]");
    }
}
