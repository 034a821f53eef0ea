package zoneplane.model.logpush;

/**
 * The type of a dataset field as Cloudflare documents it, which decides how it is written in a
 * record and which filter operators apply to it ({@link FilterOperator#appliesTo}).
 */
public enum FieldType {
    /** Text, written as a JSON string. */
    STRING("string"),
    /** A whole number, written as a JSON number. */
    INT("int"),
    /**
     * An instant, written in the job's {@link TimestampFormat} (a number for {@code unix} /
     * {@code unixnano}, a string for the RFC 3339 forms); filters compare it as a number of the
     * same unit, as Cloudflare's int-or-string timestamp fields.
     */
    TIMESTAMP("int or string");

    private final String wire;

    FieldType(String wire) {
        this.wire = wire;
    }

    /** How Cloudflare's field reference names the type. */
    public String wire() {
        return wire;
    }
}
