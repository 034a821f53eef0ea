package zoneplane.model.logpush;

/**
 * One record's values as a {@link LogpushFilter} reads them: the text of a {@link FieldType#STRING} field
 * exactly as the record writes it (never null, {@code ""} when unknown), the value of an {@link FieldType#INT}
 * field, and a {@link FieldType#TIMESTAMP} as a number in the unit the job writes it (see
 * {@link LogpushFilter#matches}).
 */
public interface FieldValues {

    /** The value of a string field, as written in the record. */
    String text(HttpRequestsField field);

    /** The value of a number or timestamp field. */
    long number(HttpRequestsField field);
}
