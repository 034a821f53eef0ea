package zoneplane.controlplane.changelog;

import java.util.function.Function;

/**
 * The outcome of a change: the resulting object and the config revision the change created, or
 * {@link #NONE} when it changed nothing (a PATCH to the value already in effect). How it is answered
 * over HTTP is {@code api.ChangeAnswers}'.
 */
public record Applied<T>(T result, long revision) {

    public static final long NONE = 0;

    public static <T> Applied<T> unchanged(T result) {
        return new Applied<>(result, NONE);
    }

    public boolean changed() {
        return revision != NONE;
    }

    /** The same revision with {@code f} of the result (a view of it, its id). */
    public <R> Applied<R> map(Function<? super T, ? extends R> f) {
        return new Applied<>(f.apply(result), revision);
    }
}
