package zoneplane.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart README's values table and values.yaml agree: every row names a key of values.yaml with
 * its default, and every value of values.yaml is a row or lies under one (a map documented as a
 * whole).
 */
class ValuesTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `(.*)` \\| (.+) \\|$");

    @Test
    void everyRowNamesAKeyOfValuesYamlWithItsDefault() throws IOException {
        Map<String, Object> values = values();
        List<String> wrong = new ArrayList<>();
        table().forEach((key, documentedDefault) -> {
            Object actual = at(values, key);
            if (actual == MISSING) {
                wrong.add(key + ": not in values.yaml");
            } else if (!java.util.Objects.equals(parse(documentedDefault), actual)) {
                wrong.add(key + ": README says " + documentedDefault + ", values.yaml has " + actual);
            }
        });

        assertThat(wrong).as("README values table vs values.yaml").isEmpty();
    }

    @Test
    void everyValueOfValuesYamlIsInTheTable() throws IOException {
        Map<String, String> table = table();
        List<String> leaves = new ArrayList<>();
        collectLeaves("", values(), leaves);

        assertThat(leaves).isNotEmpty();
        assertThat(leaves).as("values.yaml keys the README table neither lists nor lies above")
                .allMatch(leaf -> table.keySet().stream().anyMatch(row -> leaf.equals(row) || leaf.startsWith(row + ".")));
    }

    private static final Object MISSING = new Object();

    private static Map<String, String> table() throws IOException {
        String readme = Files.readString(ZoneplaneChart.directory().resolve("README.md"));
        int start = readme.indexOf("<!-- values-table:start -->");
        int end = readme.indexOf("<!-- values-table:end -->");
        assertThat(start).as("README.md has the values-table markers").isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(rows.put(row.group(1), row.group(2))).as("row %s listed twice", row.group(1)).isNull();
            }
        }
        assertThat(rows).as("rows of the values table").hasSizeGreaterThan(50);
        return rows;
    }

    private static Map<String, Object> values() throws IOException {
        return Manifest.asMap(yaml().load(Files.readString(ZoneplaneChart.directory().resolve("values.yaml"))));
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** The table writes each default as JSON, which the YAML loader reads into the same Java values. */
    private static Object parse(String json) {
        return yaml().load(json);
    }

    private static Object at(Map<String, Object> values, String dottedKey) {
        Object node = values;
        for (String key : dottedKey.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return MISSING;
            }
            node = map.get(key);
        }
        return node;
    }

    private static void collectLeaves(String prefix, Map<String, Object> map, List<String> leaves) {
        map.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> child && !child.isEmpty()) {
                collectLeaves(path, Manifest.asMap(child), leaves);
            } else {
                leaves.add(path);
            }
        });
    }
}
