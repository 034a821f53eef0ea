package zoneplane.controlplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.controlplane.auth.SecurityFixtures;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.Replicas;
import zoneplane.testing.ApiClient;

/**
 * The default limit (1200 requests per 5 minutes per account, all its tokens together), over real
 * HTTP, on one and on two replicas.
 */
class RateLimitTest extends ControlPlaneIntegrationTest {

    static final int LIMIT = 1200;

    static ConfigurableApplicationContext secondReplica;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ExpiredBucketCleaner cleaner;

    SecurityFixtures fixtures;
    String account;

    @BeforeEach
    void setUp() {
        fixtures = new SecurityFixtures(api(), jdbc);
        account = fixtures.account();
    }

    @AfterAll
    static void stopSecondReplica() {
        if (secondReplica != null) {
            secondReplica.close();
        }
    }

    @Test
    void aTokenGetsItsBudgetWithCountdownHeadersThen429WithRetryAfter() {
        ApiClient client = anonymous().withToken(fixtures.token(account, "zone:read").value());
        for (int i = 1; i <= LIMIT; i++) {
            ApiClient.Response ok = client.get("/user/tokens/verify");
            assertThat(ok.status()).as("request %d: %s", i, ok).isEqualTo(200);
            assertThat(ok.header("X-RateLimit-Limit")).hasValue(Integer.toString(LIMIT));
            assertThat(ok.header("X-RateLimit-Remaining")).hasValue(Integer.toString(LIMIT - i));
        }
        ApiClient.Response limited = client.get("/user/tokens/verify");
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo(971);
        assertThat(limited.json().get("success").asBoolean()).isFalse();
        // the window is 5 minutes from the token's first request, a few seconds ago
        assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(240L, 300L);
        assertThat(limited.header("X-RateLimit-Remaining")).hasValue("0");
        ZonedDateTime reset = ZonedDateTime.parse(limited.header("X-RateLimit-Reset").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(reset).isAfter(ZonedDateTime.now().minusSeconds(1)).isBefore(ZonedDateTime.now().plusMinutes(6));

        // Cloudflare counts per user: a token minted now draws on the same, spent, account budget
        ApiClient.Response otherToken = anonymous().withToken(fixtures.token(account, "zone:read").value()).get("/user/tokens/verify");
        assertThat(otherToken.status()).as("another token of the account shares its budget").isEqualTo(429);
        assertThat(otherToken.errorCode()).isEqualTo(971);
        assertThat(otherToken.json().get("errors").get(0).get("message").asString()).contains("this account");
        ApiClient.Response otherAccount = anonymous().withToken(fixtures.token(fixtures.account(), "zone:read").value())
                .get("/user/tokens/verify");
        assertThat(otherAccount.status()).as("another account has its own budget").isEqualTo(200);
    }

    @Test
    void concurrentRequestsOfOneTokenAreCountedExactly() throws Exception {
        // Requests that arrive together are batched into one round trip to the bucket row: each must
        // still get its own place in the countdown, and the budget must end exactly at the limit.
        ApiClient client = anonymous().withToken(fixtures.token(account, "zone:read").value());
        int threads = 24;
        int perThread = (LIMIT + 240) / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<ApiClient.Response>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<ApiClient.Response> answers = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        answers.add(client.get("/user/tokens/verify"));
                    }
                    return answers;
                }));
            }
            List<ApiClient.Response> answers = new ArrayList<>();
            for (Future<List<ApiClient.Response>> result : results) {
                answers.addAll(result.get(2, TimeUnit.MINUTES));
            }
            List<ApiClient.Response> served = answers.stream().filter(r -> r.status() == 200).toList();
            assertThat(served).hasSize(LIMIT);
            assertThat(answers).hasSize(threads * perThread)
                    .filteredOn(r -> r.status() != 200).allSatisfy(r -> assertThat(r.status()).isEqualTo(429));
            assertThat(served).extracting(r -> Integer.parseInt(r.header("X-RateLimit-Remaining").orElseThrow()))
                    .doesNotHaveDuplicates()
                    .allSatisfy(remaining -> assertThat(remaining).isBetween(0, LIMIT - 1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBurstOfAFreshTokensFirstRequestsIsCountedEveryOne() throws Exception {
        // The first request of a token (or its first after the bucket row expired) finds no row and
        // creates it. Requests that queue behind it meanwhile must not pass uncounted: every answer
        // carries the countdown, and no two share a place in it. A replica that has just started
        // answers its first round trips slowly, which leaves the most time to queue (this let some
        // requests through uncounted before TokenBuckets retried them).
        int concurrent = 16;
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        try (ConfigurableApplicationContext fresh = Replicas.start(environment, "zoneplane-control-plane-fresh")) {
            ApiClient replica = new ApiClient("http://127.0.0.1:" + Replicas.port(fresh));
            for (int round = 0; round < 3; round++) {
                // a new account each round: all tokens of an account share one budget
                ApiClient client = replica.withToken(fixtures.token(fixtures.account(), "zone:read").value());
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ApiClient.Response>> results = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return client.get("/user/tokens/verify");
                    }));
                }
                start.countDown();
                List<Long> remaining = new ArrayList<>();
                for (Future<ApiClient.Response> result : results) {
                    ApiClient.Response answer = result.get(1, TimeUnit.MINUTES);
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                    remaining.add(Long.parseLong(answer.header("X-RateLimit-Remaining")
                            .orElseThrow(() -> new AssertionError("served without being counted: " + answer))));
                }
                assertThat(remaining).doesNotHaveDuplicates()
                        .allSatisfy(left -> assertThat(left).isBetween((long) LIMIT - concurrent, LIMIT - 1L));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusedAuthenticationDoesNotSpendAnyonesBudget() {
        ApiClient client = anonymous().withToken(fixtures.token(account, "zone:read").value());
        long first = Long.parseLong(client.get("/user/tokens/verify").header("X-RateLimit-Remaining").orElseThrow());
        for (int i = 0; i < 20; i++) {
            assertThat(anonymous().withToken("zpt_unknown" + i).get("/user/tokens/verify").status()).isEqualTo(401);
        }
        long next = Long.parseLong(client.get("/user/tokens/verify").header("X-RateLimit-Remaining").orElseThrow());
        assertThat(next).isEqualTo(first - 1);
    }

    @Test
    void twoReplicasOnOneDatabaseShareOneBudgetPerToken() {
        ApiClient first = anonymous();
        ApiClient second = new ApiClient("http://127.0.0.1:" + startSecondReplica());
        String token = fixtures.token(account, "zone:read").value();
        for (int i = 0; i < LIMIT; i++) {
            ApiClient replica = (i % 2 == 0 ? first : second).withToken(token);
            ApiClient.Response ok = replica.get("/user/tokens/verify");
            assertThat(ok.status()).as("request %d: %s", i, ok).isEqualTo(200);
        }
        // each replica served only half the budget, yet both are out: the bucket is the database's
        assertThat(first.withToken(token).get("/user/tokens/verify").status()).isEqualTo(429);
        assertThat(second.withToken(token).get("/user/tokens/verify").status()).isEqualTo(429);
        assertThat(jdbc.sql("select count(*) from rate_limit_buckets where id like :key").param("key", "%:" + LIMIT + "/300")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void twoReplicasServingOneTokenAtOnceCountItExactly() throws Exception {
        // Both replicas read the same bucket row and write it back only if nobody changed it in
        // between; a replica that lost the race reads again. An unconditional write would lose the
        // other replica's consumption and serve more than the budget.
        ApiClient first = anonymous();
        ApiClient second = new ApiClient("http://127.0.0.1:" + startSecondReplica());
        String token = fixtures.token(account, "zone:read").value();
        int threadsPerReplica = 8;
        int perThread = (LIMIT + 160) / (2 * threadsPerReplica);
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerReplica);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<ApiClient.Response>>> results = new ArrayList<>();
            for (int t = 0; t < 2 * threadsPerReplica; t++) {
                ApiClient client = (t % 2 == 0 ? first : second).withToken(token);
                results.add(pool.submit(() -> {
                    start.await();
                    List<ApiClient.Response> answers = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        answers.add(client.get("/user/tokens/verify"));
                    }
                    return answers;
                }));
            }
            start.countDown();
            List<ApiClient.Response> answers = new ArrayList<>();
            for (Future<List<ApiClient.Response>> result : results) {
                answers.addAll(result.get(2, TimeUnit.MINUTES));
            }
            assertThat(answers).filteredOn(r -> r.status() != 200).allSatisfy(r -> assertThat(r.status()).isEqualTo(429));
            List<ApiClient.Response> served = answers.stream().filter(r -> r.status() == 200).toList();
            assertThat(served).hasSize(LIMIT);
            assertThat(served).extracting(r -> Integer.parseInt(r.header("X-RateLimit-Remaining").orElseThrow()))
                    .as("each served request has its own place in the one countdown").doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBucketFullAgainIsDroppedAndItsTokenStartsAfresh() {
        // expires_at is when a bucket would be full again (plus a margin); moving it into the past
        // stands for a token that has been quiet that long
        String quietAccount = fixtures.account();
        SecurityFixtures.Issued quiet = fixtures.token(quietAccount, "zone:read");
        SecurityFixtures.Issued busy = fixtures.token(account, "zone:read");
        for (int i = 0; i < 5; i++) {
            anonymous().withToken(quiet.value()).get("/user/tokens/verify");
            anonymous().withToken(busy.value()).get("/user/tokens/verify");
        }
        String quietBucket = "account:" + quietAccount + ":" + LIMIT + "/300";
        String busyBucket = "account:" + account + ":" + LIMIT + "/300";
        assertThat(jdbc.sql("update rate_limit_buckets set expires_at = 0 where id = :id").param("id", quietBucket).update()).isEqualTo(1);
        assertThat(jdbc.sql("select expires_at from rate_limit_buckets where id = :id").param("id", busyBucket).query(Long.class).single())
                .as("a bucket in use expires once full again, minutes from now")
                .isGreaterThan(System.currentTimeMillis() + 60_000);

        assertThat(cleaner.removeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.sql("select id from rate_limit_buckets where id in (:ids)").param("ids", List.of(quietBucket, busyBucket))
                .query(String.class).list()).containsExactly(busyBucket);
        assertThat(anonymous().withToken(quiet.value()).get("/user/tokens/verify").header("X-RateLimit-Remaining"))
                .as("the dropped bucket starts full").hasValue(Integer.toString(LIMIT - 1));
        assertThat(anonymous().withToken(busy.value()).get("/user/tokens/verify").header("X-RateLimit-Remaining"))
                .hasValue(Integer.toString(LIMIT - 6));
    }

    @Test
    void bucketsAreKeptOutOfTheWriteAheadLog() {
        // every API request rewrites its token's bucket: an unlogged table spares each one a WAL
        // record and flush, at the price of full budgets after a database crash or failover (README)
        assertThat(jdbc.sql("select relpersistence from pg_class where relname = 'rate_limit_buckets'")
                .query(String.class).single()).isEqualTo("u");
    }

    private int startSecondReplica() {
        if (secondReplica == null) {
            secondReplica = Replicas.start(environment, "zoneplane-control-plane-replica-2");
        }
        return Replicas.port(secondReplica);
    }
}
