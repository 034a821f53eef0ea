package zoneplane.dataplane.proxy;

/**
 * A request target taken apart: the origin-form path the origin gets and, for absolute-form, the
 * authority that routes it; or what is wrong with it. Part of {@link RequestFraming}'s rules.
 *
 * @param path the origin-form target ({@code /path?query}), or null when refused
 * @param authority the absolute-form target's authority, which replaces Host (RFC 9112 §3.2.2), else null
 * @param problem why the target is refused, or null
 */
record RequestTarget(String path, String authority, String problem) {

    static RequestTarget parse(String uri, boolean http2) {
        if (uri.startsWith("/")) {
            return visibleAscii(uri) ? new RequestTarget(uri, null, null) : invalid(
                    "The request target holds characters a URL may not (spaces, control or non-ASCII).");
        }
        int schemeEnd = absoluteFormSchemeEnd(uri);
        if (http2 || schemeEnd < 0) {
            return invalid("The request target must be a path (/…) or an absolute http(s) URL.");
        }
        int pathStart = schemeEnd;
        while (pathStart < uri.length() && uri.charAt(pathStart) != '/' && uri.charAt(pathStart) != '?') {
            pathStart++;
        }
        String authority = uri.substring(schemeEnd, pathStart);
        if (authority.indexOf('@') >= 0 || !RequestFraming.validHost(authority)) {
            return invalid("The request target's authority is not a valid host name.");
        }
        String rest = uri.substring(pathStart);
        String path = rest.startsWith("/") ? rest : "/" + rest;
        return visibleAscii(path) ? new RequestTarget(path, authority, null) : invalid(
                "The request target holds characters a URL may not (spaces, control or non-ASCII).");
    }

    private static RequestTarget invalid(String problem) {
        return new RequestTarget(null, null, problem);
    }

    /** Where the authority of an absolute-form {@code http://} or {@code https://} target starts, or -1. */
    private static int absoluteFormSchemeEnd(String uri) {
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        return uri.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
    }

    private static boolean visibleAscii(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
