package zoneplane.controlplane.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.auth.AuthProperties;
import zoneplane.controlplane.auth.StoredToken;
import zoneplane.controlplane.auth.TokenCredentials;
import zoneplane.controlplane.database.AfterCommit;
import zoneplane.controlplane.database.NotificationSubscriber;

/**
 * How authentication finds a token by its digest: from PostgreSQL, remembered for a short while
 * ({@code zoneplane.auth.token-cache-ttl}) so that a busy token costs no query per request.
 *
 * <p>Remembering never delays a revocation: a revocation notifies every replica
 * ({@value #REVOCATIONS_CHANNEL}, in the revoking transaction, so delivered at its commit), and each
 * replica then forgets every token it remembers; the revoking replica forgets right after its commit,
 * so its own next request is refused. Tokens are remembered only while this replica's LISTEN
 * connection is up: when it drops, notifications could be missed, so every lookup goes to the
 * database until it listens again. The time to live bounds only what no notification announces (a
 * row edited by hand in the database). A lookup that raced a revocation cannot put the old row
 * back: what it remembers carries the generation it started in, and any revocation starts a new one.
 * Only usable tokens are remembered (unknown digests never: they may be an attacker's guesses);
 * expiry is checked on every request. Bounded: past {@link #MAX_REMEMBERED} tokens the least used are
 * forgotten.
 */
@Component
class TokenLookup implements TokenCredentials, NotificationSubscriber {

    static final String REVOCATIONS_CHANNEL = "zoneplane_token_revocations";
    static final int MAX_REMEMBERED = 10_000;

    private record Remembered(StoredToken token, long generation, long expiresAtNanos) {}

    private final ApiTokenRepository tokens;
    private final long ttlNanos;
    private final ConcurrentMap<ByteBuffer, Remembered> remembered =
            Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).<ByteBuffer, Remembered>build().asMap();
    /** Moves on at every revocation and every change of the listening state; odd while not listening. */
    private final AtomicLong generation = new AtomicLong(1);

    TokenLookup(ApiTokenRepository tokens, AuthProperties properties) {
        this.tokens = tokens;
        this.ttlNanos = properties.tokenCacheTtl().toNanos();
    }

    @Override
    public Optional<StoredToken> findByDigest(byte[] digest) {
        ByteBuffer key = ByteBuffer.wrap(digest.clone());
        long current = generation.get();
        Remembered known = remembered.get(key);
        if (known != null && known.generation() == current && System.nanoTime() - known.expiresAtNanos() < 0) {
            return Optional.of(known.token());
        }
        Optional<StoredToken> found = tokens.findByDigest(digest);
        if (listening(current) && ttlNanos > 0 && found.isPresent() && found.get().usableAt(Instant.now())) {
            remembered.put(key, new Remembered(found.get(), current, System.nanoTime() + ttlNanos));
        } else if (known != null) {
            remembered.remove(key, known);
        }
        return found;
    }

    @Override
    public void markUsed(StoredToken token, Instant now) {
        if (tokens.markUsed(token, now)) {
            // what is remembered learns it too, or every request past the resolution would write again
            remembered.computeIfPresent(ByteBuffer.wrap(token.digest()), (key, known) -> known.token().id().equals(token.id())
                    ? new Remembered(known.token().usedAt(now), known.generation(), known.expiresAtNanos())
                    : known);
        }
    }

    /**
     * Announces the revocation of {@code tokenId} to every replica; called inside the revoking
     * transaction (the notification is delivered at its commit). This replica forgets its tokens once
     * that transaction commits.
     */
    void announceRevocation(String tokenId) {
        tokens.notify(REVOCATIONS_CHANNEL, tokenId);
        AfterCommit.run(this::forgetAll);
    }

    @Override
    public String channel() {
        return REVOCATIONS_CHANNEL;
    }

    @Override
    public void listening() {
        generation.updateAndGet(g -> g % 2 == 0 ? g + 2 : g + 1); // even: listening
        remembered.clear();
    }

    @Override
    public void deaf() {
        generation.updateAndGet(g -> g % 2 == 1 ? g + 2 : g + 1); // odd: not listening
        remembered.clear();
    }

    @Override
    public void notified(String tokenId) {
        forgetAll();
    }

    private void forgetAll() {
        generation.addAndGet(2); // keeps the listening state
        remembered.clear();
    }

    private static boolean listening(long generation) {
        return generation % 2 == 0;
    }

    /** Whether tokens looked up now are remembered (the LISTEN connection is up and a time to live is set). */
    boolean remembering() {
        return ttlNanos > 0 && listening(generation.get());
    }

    @Override
    public String toString() {
        return "TokenLookup{ttl=" + Duration.ofNanos(ttlNanos) + ", remembered=" + remembered.size() + "}";
    }
}
