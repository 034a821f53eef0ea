import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time (user + system, clock ticks) of a process and of another process with all its descendants, from /proc. */
final class ProcCpu {

    private ProcCpu() {}

    static long ticks(long process, long tree) {
        long total = ticksOf(process);
        try (Stream<ProcessHandle> below = ProcessHandle.of(tree).map(ProcessHandle::descendants).orElse(Stream.empty())) {
            total += ticksOf(tree) + below.mapToLong(p -> ticksOf(p.pid())).sum();
        }
        return total;
    }

    private static long ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException gone) {
            return 0; // a backend that exited between listing and reading
        }
    }
}
