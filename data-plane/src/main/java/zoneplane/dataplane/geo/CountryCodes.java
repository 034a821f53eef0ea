package zoneplane.dataplane.geo;

import java.util.Locale;

/** The one place where a country code read from a file becomes the code {@code CF-IPCountry} carries. */
final class CountryCodes {

    private CountryCodes() {}

    /**
     * Upper-cases a two-letter code; {@code "??"} (Tor's "unknown") becomes {@code "XX"}, and {@code "UK"},
     * which IPFire-derived files use for some ranges, becomes ISO 3166-1's {@code "GB"} so one country has
     * one code. Codes are otherwise passed through (regional codes such as {@code EU} or {@code AP} stay).
     *
     * @throws IllegalArgumentException when the code is not two ASCII letters or {@code "??"}
     */
    static String normalise(String code) {
        if (code.equals("??")) {
            return RangeCountryDatabase.UNKNOWN;
        }
        if (code.length() != 2 || !isAsciiLetter(code.charAt(0)) || !isAsciiLetter(code.charAt(1))) {
            throw new IllegalArgumentException("country code '" + code + "' is not two letters");
        }
        String upper = code.toUpperCase(Locale.ROOT);
        return upper.equals("UK") ? "GB" : upper;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
