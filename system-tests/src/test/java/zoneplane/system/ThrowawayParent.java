package zoneplane.system;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for the test JVM in {@link OrphanedProcessesTest}: a JVM that the test can SIGKILL. It
 * starts what the suite's harness starts (a child JVM through {@link ManagedProcess}, or an embedded
 * PostgreSQL in a claimed run folder), prints the started process's pid on one line of its standard
 * output ({@code pid=<n>}) and then does nothing until it is killed.
 *
 * <p>{@code ThrowawayParent child <log dir>} or {@code ThrowawayParent postgres <run dir>}.
 */
public final class ThrowawayParent {

    private ThrowawayParent() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        long pid;
        if (args[0].equals("child")) {
            ManagedProcess child = new ManagedProcess("orphan-candidate", Idle.class.getName(),
                    ManagedProcess.smallJvm("32m"), Map.of(), dir);
            child.start();
            pid = child.pid();
        } else if (args[0].equals("postgres")) {
            LeftoverRuns.claim(dir);
            Path pgdata = dir.resolve(LeftoverRuns.PGDATA);
            new RestartablePostgres(pgdata, Ports.free()).start();
            pid = LeftoverRuns.postmaster(pgdata).orElseThrow().pid();
        } else {
            throw new IllegalArgumentException("usage: ThrowawayParent child|postgres <dir>; not " + List.of(args));
        }
        System.out.println("pid=" + pid);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** A child that does nothing until its process ends: only its parent's death can end it here. */
    public static final class Idle {

        private Idle() {}

        public static void main(String[] args) throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }
}
