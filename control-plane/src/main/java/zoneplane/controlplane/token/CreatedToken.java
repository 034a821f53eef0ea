package zoneplane.controlplane.token;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The answer to token creation: the token as {@link TokenView} shows it (its members inline) plus {@code value}, the
 * secret, which is shown here once and never again (only its digest is stored).
 */
record CreatedToken(@JsonUnwrapped TokenView token, String value) {

    static CreatedToken of(TokenView view, String value) {
        return new CreatedToken(view, value);
    }

    /** Records print their fields; this one must not print the secret. */
    @Override
    public String toString() {
        return "CreatedToken[" + token.id() + ", value=<redacted>]";
    }
}
