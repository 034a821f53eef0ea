package zoneplane.controlplane.setting;

/**
 * An {@code If-Match} precondition (RFC 9110): {@code *} or a list of strong entity tags, one of
 * which must be the setting's current one. {@link #NONE} when the request had none.
 */
record Precondition(String ifMatch) {

    static final Precondition NONE = new Precondition(null);

    /** The request's {@code If-Match} header, which may be absent (null). */
    static Precondition ifMatch(String header) {
        return header == null ? NONE : new Precondition(header);
    }

    /** Whether there is no precondition (the tag then need not even be computed). */
    boolean isNone() {
        return ifMatch == null;
    }

    boolean admits(String etag) {
        if (ifMatch == null) {
            return true;
        }
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
