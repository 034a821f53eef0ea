package zoneplane.controlplane.auth;

import java.util.Random;

/**
 * Hostile inputs for fuzz tests: strings (huge, unicode, control characters, SQL, markup, format
 * strings), random JSON of any shape, and bodies and queries that are invalid by construction.
 */
final class Hostile {

    static final String[] NASTY = {"' OR '1'='1", "\"; drop table zones; --", "../../etc/passwd", "%s%n%x", "${jndi:ldap://x}",
            "<script>alert(1)</script>", "\u0000", "a\u0000b", "\ud83d\ude00\u202e\u0301", "\u00e9t\u00e9", "null", "true", "-1",
            "99999999999999999999999", "1e999", "0x10", " ", "\t\n", "ZONE:READ", "zone:read ", "zone_settings:*", "*",
            "ABCDEF0123456789ABCDEF0123456789", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0"};

    private Hostile() {}

    static String pick(Random r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    static String string(Random r, int maxLength) {
        switch (r.nextInt(5)) {
            case 0:
                return NASTY[r.nextInt(NASTY.length)];
            case 1: {
                StringBuilder s = new StringBuilder();
                int length = r.nextInt(maxLength + 1);
                for (int i = 0; i < length; i++) {
                    s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x20) : 0x20 + r.nextInt(0x2fff));
                }
                return s.toString();
            }
            case 2:
                return "x".repeat(r.nextInt(maxLength * 10 + 1));
            case 3:
                return NASTY[r.nextInt(NASTY.length)] + NASTY[r.nextInt(NASTY.length)];
            default:
                return Integer.toString(r.nextInt());
        }
    }

    /** A JSON string literal of a hostile string. */
    static String jsonString(Random r) {
        String s = string(r, 200);
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    /** Any JSON text, well-formed or not: scalars, arrays, objects, deep nesting, truncations. */
    static String randomJson(Random r, int depth) {
        switch (depth > 6 ? r.nextInt(4) : r.nextInt(9)) {
            case 0:
                return jsonString(r);
            case 1:
                return pick(r, "null", "true", "false", "0", "-0.5", "1e308", "123456789012345678901234567890");
            case 2:
                return "[".repeat(1 + r.nextInt(2000));
            case 3:
                return pick(r, "", "{", "}", "{\"name\":", "{'name':'x'}", "{\"a\":1,}", "[1,2", "{\"a\" 1}", "\u0000", "{}{}");
            case 4:
                return "{" + "\"a\":{".repeat(600) + "}".repeat(600) + "}";
            case 5: {
                StringBuilder a = new StringBuilder("[");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.append(i > 0 ? "," : "").append(randomJson(r, depth + 1));
                }
                return a.append(']').toString();
            }
            default: {
                StringBuilder o = new StringBuilder("{");
                int n = 1 + r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    // a key outside the endpoint's fields always makes the body invalid
                    o.append(i > 0 ? "," : "").append(jsonString(r)).append(':').append(randomJson(r, depth + 1));
                }
                return o.append("}").toString();
            }
        }
    }

    /**
     * A token-creation body with at least one defect: a wrong type, an unknown or duplicated
     * permission, bad zones, a past or malformed expiry, an overlong or control-character name, or
     * an unknown field; other fields random-but-valid or hostile.
     */
    static String invalidTokenBody(Random r, String zoneOfAccount) {
        String name = "\"fuzz\"";
        String permissions = "[\"zone:read\"]";
        String extra = "";
        switch (r.nextInt(9)) {
            case 0:
                name = pick(r, "1", "null", "[]", "{}", "true", "\"\"", "\"   \"", "\"" + "n".repeat(121 + r.nextInt(5000)) + "\"",
                        "\"a\\u0000b\"", "\"line\\nbreak\"");
                break;
            case 1:
                permissions = pick(r, "[]", "\"zone:read\"", "null", "{}", "[1]", "[null]", "[[\"zone:read\"]]", "[\"zone:read\",\"zone:read\"]");
                break;
            case 2:
                permissions = "[" + jsonString(r) + "]";
                if (permissions.matches("\\[\"(zone:read|zone:edit|zone_settings:read|zone_settings:edit|account:admin)\"]")) {
                    permissions = "[\"zone:delete\"]";
                }
                break;
            case 3:
                extra = ",\"zones\":" + pick(r, "[]", "\"" + zoneOfAccount + "\"", "[\"" + zoneOfAccount.toUpperCase() + "\"]",
                        "[\"" + zoneOfAccount + "\",\"" + zoneOfAccount + "\"]", "[1]", "{}", "[\"' OR 1=1 --\"]",
                        "[\"" + SecurityFixtures.newId() + "\"]");
                break;
            case 4:
                extra = ",\"expires_on\":" + pick(r, "\"2001-01-01T00:00:00Z\"", "\"tomorrow\"", "0", "true", "\"+999999999-12-31T23:59:59Z\"",
                        "\"2026-13-45T99:99:99Z\"", jsonString(r));
                break;
            case 5:
                permissions = "[\"account:admin\"]";
                extra = ",\"zones\":[\"" + zoneOfAccount + "\"]";
                break;
            case 6:
                extra = "," + jsonString(r).replace("\"name\"", "\"nom\"") + ":" + randomJson(r, 3);
                if (extra.startsWith(",\"name\"") || extra.startsWith(",\"permissions\"") || extra.startsWith(",\"zones\"")
                        || extra.startsWith(",\"expires_on\"")) {
                    extra = ",\"id\":1";
                }
                break;
            case 7:
                name = jsonString(r);
                permissions = "[\"zone:read\"," + jsonString(r) + "]";
                if (permissions.matches(".*\"(zone:read|zone:edit|zone_settings:read|zone_settings:edit|account:admin)\"]")) {
                    permissions = "[\"zone:read\",7]";
                }
                break;
            default:
                return "{\"name\":" + name + ",\"permissions\":" + permissions + "," + "\"value\":\"zpt_chosen_by_caller\"}";
        }
        return "{\"name\":" + name + ",\"permissions\":" + permissions + extra + "}";
    }

    /** An audit-log query string with at least one invalid or unknown parameter. */
    static String invalidAuditQuery(Random r) {
        String value = java.net.URLEncoder.encode(string(r, 100), java.nio.charset.StandardCharsets.UTF_8);
        switch (r.nextInt(6)) {
            case 0:
                return "zone_id=" + value + "x";
            case 1:
                return "since=" + value + "x";
            case 2:
                return "per_page=" + pick(r, "0", "51", "-1", "1e3", "99999999999", value + "x");
            case 3:
                return "page=" + pick(r, "0", "-5", "abc", "99999999999", value + "x");
            case 4:
                return "setting=" + pick(r, "IPV6", "a-b", "x%20y", "" + "s".repeat(65), value + "%3B");
            default:
                return java.net.URLEncoder.encode(pick(r, "zone", "order", "account.id", "' OR 1=1", "before "), java.nio.charset.StandardCharsets.UTF_8)
                        + "=" + value;
        }
    }

    /** A string that is never a valid value of any setting (a space and a slash never are). */
    static String notAWord(Random r) {
        return string(r, 50) + " /";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    /** A setting value no setting accepts: off-grid sizes, wrong types, hostile words. */
    static String invalidSettingValue(Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return pick(r, "101", "0", "-25", "99999999999", "100.5", "1e999", "-0", "5001", "true", "null", "[]", "{}", "[\"on\"]");
            case 1:
                return quote(notAWord(r));
            case 2:
                return pick(r, "\"ON\"", "\"On\"", "\" on\"", "\"off \"", "\"add-header\"", "\"0\"", "\"\"");
            default:
                return "{\"value\":\"off\"}";
        }
    }

    /** A bulk settings body with at least one defect (all-or-nothing: a valid item beside it changes nothing either). */
    static String invalidBulk(Random r) {
        String valid = "{\"id\":\"grpc\",\"value\":\"on\"}";
        switch (r.nextInt(6)) {
            case 0:
                return pick(r, "{}", "{\"items\":[]}", "{\"items\":null}", "{\"items\":{}}", "{\"items\":\"grpc\"}", "[]");
            case 1:
                return "{\"items\":[" + valid + ",{\"id\":\"websockets\",\"value\":" + invalidSettingValue(r) + "}]}";
            case 2:
                return "{\"items\":[" + valid + ",{\"id\":" + quote(notAWord(r)) + ",\"value\":\"on\"}]}";
            case 3:
                return "{\"items\":[" + valid + "," + valid + "]}";
            case 4:
                return "{\"items\":[" + valid + "],\"extra\":" + randomJson(r, 3) + "}";
            default:
                return "{\"items\":[" + valid + ",{\"id\":\"ipv6\",\"value\":\"off\",\"x\":1}]}";
        }
    }

    /** A zone-creation body with at least one defect. */
    static String invalidZoneBody(Random r, String account) {
        String name = quote("fz" + r.nextInt(1_000_000) + ".example.com");
        String accountRef = "{\"id\":\"" + account + "\"}";
        String extra = "";
        switch (r.nextInt(7)) {
            case 0:
                name = quote(notAWord(r));
                break;
            case 1:
                accountRef = pick(r, "null", "\"" + account + "\"", "{}", "{\"id\":7}", "{\"id\":" + quote(string(r, 80)) + "x}",
                        "{\"id\":\"" + SecurityFixtures.newId() + "\"}", "{\"id\":\"" + account + "\",\"owner\":\"x\"}");
                break;
            case 2:
                extra = ",\"plan\":" + pick(r, "\"platinum\"", "7", "{\"id\":\"gold\"}", "[]", quote(notAWord(r)));
                break;
            case 3:
                extra = ",\"origin\":" + pick(r, "\"ftp://x\"", "\"javascript:alert(1)\"", "\"http://\"", "7",
                        quote("http://" + "a".repeat(3000) + ".example"), quote(notAWord(r)));
                break;
            case 4:
                extra = ",\"type\":" + pick(r, "\"secondary\"", "1", quote(notAWord(r)));
                break;
            case 5:
                extra = ",\"owner\":" + randomJson(r, 3);
                break;
            default:
                name = pick(r, "null", "7", "[]", "\"\"", "\"localhost\"", "\"" + "a".repeat(300) + ".com\"", "\"a..b.com\"");
        }
        return "{\"account\":" + accountRef + ",\"name\":" + name + extra + "}";
    }

    /** A zone edit with at least one defect. */
    static String invalidZoneEdit(Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return "{\"plan\":" + pick(r, "\"platinum\"", "7", "[]", quote(notAWord(r))) + "}";
            case 1:
                return "{\"origin\":" + pick(r, "\"ftp://x\"", "7", "true", quote(notAWord(r))) + "}";
            case 2:
                return "{\"paused\":" + pick(r, "\"yes\"", "1", "\"true\"", "[]", "{}") + "}";
            case 3:
                return "{\"paused\":true,\"name\":" + quote(string(r, 50)) + "}";
            default:
                return "{\"paused\":true," + quote("x" + string(r, 20)) + ":" + randomJson(r, 3) + "}";
        }
    }

    /** An account-creation body with at least one defect. */
    static String invalidAccountBody(Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return "{\"name\":" + pick(r, "null", "7", "[]", "\"\"", "\"   \"", quote("n".repeat(201 + r.nextInt(1000)))) + "}";
            case 1:
                return "{\"name\":\"ok\",\"id\":\"" + SecurityFixtures.newId() + "\"}";
            case 2:
                return "{\"name\":\"a\\u0000b\"}";
            case 3:
                return "{}";
            default:
                return randomJson(r, 1).startsWith("{\"name\"") ? "{}" : "{\"nom\":\"x\"}";
        }
    }
}
