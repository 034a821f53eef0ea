package zoneplane.dataplane.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import zoneplane.dataplane.visitor.IpLiterals;

/**
 * The named values a node is configured by, read as typed values: a missing or blank value gives the
 * fallback; a bad one is recorded as a problem (named, with what was given) and also gives the
 * fallback, so that every section is read and every problem reported together. Not thread-safe: one
 * per load.
 *
 * <p>Durations take ISO-8601 ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}; a bare number means seconds. Lists are comma-separated.
 */
final class ConfigValues {

    private final Function<String, String> source;
    private final List<String> problems = new ArrayList<>();

    ConfigValues(Function<String, String> source) {
        this.source = source;
    }

    /** A problem with the configuration, reported with the others once every section is read. */
    void problem(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return problems;
    }

    /** The value as given, untrimmed, or null. */
    String raw(String name) {
        return source.apply(name);
    }

    Optional<String> text(String name) {
        String value = source.apply(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** A path; with {@code mustExist}, a problem when it names no readable file. */
    Optional<Path> path(String name, boolean mustExist) {
        Optional<Path> path = text(name).map(Path::of);
        if (mustExist && path.isPresent() && !Files.isReadable(path.get())) {
            problems.add(name + " names a file that does not exist or is not readable: " + path.get());
        }
        return path;
    }

    /** The comma-separated entries of a value, trimmed, blank ones left out. */
    static List<String> entries(String value) {
        List<String> entries = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                entries.add(part.trim());
            }
        }
        return entries;
    }

    Optional<List<Path>> paths(String name) {
        return text(name).map(value -> entries(value).stream().map(Path::of).toList());
    }

    /** Comma-separated IP address literals; each bad one is a problem. */
    Optional<List<InetAddress>> addresses(String name) {
        return text(name).map(value -> {
            List<InetAddress> addresses = new ArrayList<>();
            for (String part : entries(value)) {
                InetAddress address = IpLiterals.parse(part);
                if (address == null) {
                    problems.add(name + ": not an IP address: '" + part + "'");
                } else {
                    addresses.add(address);
                }
            }
            return addresses;
        });
    }

    boolean bool(String name, boolean fallback) {
        Optional<String> value = text(name).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return fallback;
        }
        switch (value.get()) {
            case "true", "on", "yes", "1":
                return true;
            case "false", "off", "no", "0":
                return false;
            default:
                problems.add(name + " must be true or false, got '" + value.get() + "'");
                return fallback;
        }
    }

    int port(String name, int fallback) {
        return integer(name, fallback, 0, 65535);
    }

    int integer(String name, int fallback, int min, int max) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value.get() + "'");
            return fallback;
        }
    }

    Duration duration(String name, Duration fallback) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(value.get());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            problems.add(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, got '"
                    + value.get() + "'");
            return fallback;
        }
        return parsed;
    }

    /** A duration in one of the accepted notations, or null. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            char unit = value.charAt(value.length() - 1);
            String number = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long amount = Long.parseLong(number);
            switch (unit) {
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                case 's':
                    return Duration.ofSeconds(amount);
                default:
                    return Character.isDigit(unit) ? Duration.ofSeconds(amount) : null;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
