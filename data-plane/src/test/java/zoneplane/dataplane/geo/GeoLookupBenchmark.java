package zoneplane.dataplane.geo;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Prints load time, memory and per-lookup cost of the geolocation tables; a benchmark, not a test.
 * Arguments: the geoip files (default: Debian's). Run from the repository root:
 *
 * <pre>
 *   mvn -B -q -pl data-plane -am test-compile
 *   mvn -B -q -pl data-plane dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp data-plane/target/classes:data-plane/target/test-classes:$(cat /tmp/cp.txt) \
 *       zoneplane.dataplane.geo.GeoLookupBenchmark
 * </pre>
 *
 * Allocation per lookup is read from the JVM's per-thread allocation counter.
 */
public final class GeoLookupBenchmark {

    private static final int ADDRESSES = 1 << 16;
    private static final int ROUNDS = 200;

    private GeoLookupBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Path> files = args.length == 0 ? GeoIpDatabases.DEBIAN_FILES : List.of(args).stream().map(Path::of).toList();
        long started = System.nanoTime();
        LoadedCountryDatabase loaded = GeoIpDatabases.load(files);
        System.out.printf("load: %d ms, %s%n", (System.nanoTime() - started) / 1_000_000, loaded.tables());
        loaded.warnings().forEach(warning -> System.out.println("warning: " + warning));
        System.out.printf("lookup arrays: %d bytes (%.2f MiB)%n", loaded.footprintBytes(), loaded.footprintBytes() / 1048576.0);

        SplittableRandom random = new SplittableRandom(42);
        InetAddress[] ipv4 = new InetAddress[ADDRESSES];
        InetAddress[] ipv6 = new InetAddress[ADDRESSES];
        byte[][] ipv4Bytes = new byte[ADDRESSES][];
        for (int i = 0; i < ADDRESSES; i++) {
            byte[] v4 = new byte[4];
            byte[] v6 = new byte[16];
            random.nextBytes(v4);
            random.nextBytes(v6);
            v6[0] = (byte) (0x20 | (v6[0] & 0x0F)); // 2000::/4, where the allocated IPv6 space is
            ipv4[i] = InetAddress.getByAddress(v4);
            ipv6[i] = InetAddress.getByAddress(v6);
            ipv4Bytes[i] = v4;
        }
        CountryDatabase database = loaded.database();
        RangeCountryDatabase ipv4Table = loaded.tables().isEmpty() ? RangeCountryDatabase.empty("none") : loaded.tables().get(0);
        for (int warmup = 0; warmup < 3; warmup++) {
            measure("warm-up", () -> lookups(database, ipv4));
        }
        measure("countryOf(InetAddress) IPv4", () -> lookups(database, ipv4));
        measure("countryOf(InetAddress) IPv6", () -> lookups(database, ipv6));
        measure("countryOf(byte[]) IPv4, first table", () -> lookups(ipv4Table, ipv4Bytes));
    }

    private static int lookups(CountryDatabase database, InetAddress[] addresses) {
        int known = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (InetAddress address : addresses) {
                known += database.countryOf(address) == RangeCountryDatabase.UNKNOWN ? 0 : 1;
            }
        }
        return known;
    }

    private static int lookups(RangeCountryDatabase database, byte[][] addresses) {
        int known = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (byte[] address : addresses) {
                known += database.countryOf(address) == RangeCountryDatabase.UNKNOWN ? 0 : 1;
            }
        }
        return known;
    }

    private static void measure(String name, java.util.function.IntSupplier run) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long started = System.nanoTime();
        int known = run.getAsInt();
        long nanos = System.nanoTime() - started;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        long lookups = (long) ADDRESSES * ROUNDS;
        System.out.printf("%-40s %6.1f ns/lookup, %5.1f bytes allocated/lookup, %4.1f%% known%n",
                name, (double) nanos / lookups, (double) allocated / lookups, 100.0 * known / lookups);
    }
}
