package zoneplane.dataplane.config;

import java.util.List;

/** The node's configuration is invalid; the message lists every problem, one per line. */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid data-plane configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
