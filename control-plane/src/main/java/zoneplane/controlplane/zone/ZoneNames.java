package zoneplane.controlplane.zone;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import zoneplane.controlplane.api.JsonBody;

/**
 * Zone names as stored: lower-case ASCII hostnames with at least two labels, internationalised
 * names converted to punycode ({@code bücher.example} → {@code xn--bcher-kva.example}) by
 * {@link IDN#toASCII} with the STD3 rules, one trailing dot dropped. The same shape is enforced by a
 * check constraint in the schema.
 */
final class ZoneNames {

    private static final Pattern HOSTNAME =
            Pattern.compile("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private ZoneNames() {}

    /** The stored form of {@code raw}, or 400 (code 1003) saying why it is not a zone name. */
    static String normalize(String raw) {
        String name = raw.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(raw, "not a valid internationalised domain name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw invalid(raw, "must be 1 to 253 characters");
        }
        if (ascii.indexOf('.') < 0) {
            throw invalid(raw, "must have at least two labels, like example.com");
        }
        if (!HOSTNAME.matcher(ascii).matches()) {
            throw invalid(raw, "labels must be letters, digits and inner hyphens, 63 characters at most");
        }
        return ascii;
    }

    /** For list filters: the stored form, or empty when {@code raw} can be no zone's name. */
    static Optional<String> tryNormalize(String raw) {
        try {
            return Optional.of(normalize(raw));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static RuntimeException invalid(String raw, String why) {
        String shown = raw.length() > 80 ? raw.substring(0, 80) + "…" : raw;
        return JsonBody.invalid("Invalid zone name '" + shown + "': " + why);
    }
}
