package zoneplane.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing the suite starts outlives a SIGKILLed test JVM. A throwaway JVM ({@link ThrowawayParent})
 * plays the test JVM: it starts a child exactly as the harness does, the test kills it with SIGKILL
 * (no shutdown hook runs), and the child must go away by itself; PostgreSQL, which cannot watch its
 * parent, is stopped by the next run ({@link LeftoverRuns}).
 */
class OrphanedProcessesTest {

    private static final Duration PARENT_READY = Duration.ofSeconds(120);
    private static final Duration CHILD_EXIT = Duration.ofSeconds(30);

    private final Path work = Path.of("target", "orphan-tests", Long.toString(System.nanoTime())).toAbsolutePath();
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhateverIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void childJvmExitsByItselfWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process parent = startThrowawayParent("child", work);
        ProcessHandle child = startedPid(parent);

        Path childLog = work.resolve("orphan-candidate.log");
        await().atMost(CHILD_EXIT).until(() -> Files.readString(childLog).contains("bound to parent process"));
        assertThat(child.isAlive()).as("the child runs while its parent lives").isTrue();
        assertThat(child.parent().map(ProcessHandle::pid)).contains(parent.pid());
        parent.destroyForcibly();
        assertThat(parent.waitFor(10, TimeUnit.SECONDS)).as("parent killed").isTrue();

        await().atMost(CHILD_EXIT).until(() -> !child.isAlive());
        assertThat(Files.readString(childLog))
                .contains("parent process " + parent.pid() + " is gone");
    }

    @Test
    void childWhoseParentIsAlreadyGoneDoesNotStartItsMain() throws Exception {
        Process shortLived = new ProcessBuilder(java(), "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(shortLived.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process child = new ProcessBuilder(java(), "-cp", ChildClasspath.get(), ParentBoundLauncher.class.getName(),
                Long.toString(shortLived.pid()), ThrowawayParent.Idle.class.getName()).redirectErrorStream(true).start();
        started.add(child.toHandle());

        assertThat(child.waitFor(CHILD_EXIT.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(child.exitValue()).isEqualTo(ParentBoundLauncher.PARENT_GONE_STATUS);
        assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("parent process " + shortLived.pid() + " is already gone");
    }

    @Test
    void postgresLeftByAKilledRunIsStoppedAndItsFolderRemovedByTheNextRun() throws Exception {
        Path runs = work.resolve("system-data");
        Path deadRun = runs.resolve("dead-run");
        Process parent = startThrowawayParent("postgres", deadRun);
        ProcessHandle postgres = startedPid(parent);
        parent.destroyForcibly();
        assertThat(parent.waitFor(10, TimeUnit.SECONDS)).as("parent killed").isTrue();
        assertThat(postgres.isAlive()).as("PostgreSQL does not notice its owner is gone").isTrue();

        Path liveRun = runs.resolve("live-run");
        LeftoverRuns.claim(liveRun);
        Path ownerless = Files.createDirectories(runs.resolve("ownerless-run"));

        assertThat(LeftoverRuns.reap(runs)).containsExactlyInAnyOrder(deadRun, ownerless);

        assertThat(postgres.isAlive()).as("PostgreSQL of the dead run").isFalse();
        assertThat(deadRun).doesNotExist();
        assertThat(ownerless).doesNotExist();
        assertThat(liveRun.resolve(LeftoverRuns.OWNER_FILE)).as("a live run's folder is kept").exists();
    }

    @Test
    void runFolderWhosePostmasterPidNamesAnotherProcessIsRemovedWithoutSignallingThatProcess() throws Exception {
        Path runs = work.resolve("system-data");
        Path pgdata = Files.createDirectories(runs.resolve("stale-run").resolve(LeftoverRuns.PGDATA));
        // A postmaster.pid whose pid is now this very JVM (pid reuse): the start time does not match.
        Files.writeString(pgdata.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgdata + "\n"
                + "1000000000\n5432\n", StandardCharsets.US_ASCII);

        assertThat(LeftoverRuns.postmaster(pgdata)).isEmpty();
        assertThat(LeftoverRuns.reap(runs)).containsExactly(runs.resolve("stale-run"));
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    private Process startThrowawayParent(String mode, Path dir) throws IOException {
        Files.createDirectories(work);
        Process parent = new ProcessBuilder(java(), "-Xmx256m", "-cp", ChildClasspath.get(),
                ThrowawayParent.class.getName(), mode, dir.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("parent-" + mode + ".err").toFile()))
                .start();
        started.add(parent.toHandle());
        return parent;
    }

    /** The pid the throwaway parent prints once what it started is running. */
    private ProcessHandle startedPid(Process parent) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("pid=")) {
                        return l.substring(4);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String pid;
        try {
            pid = line.get(PARENT_READY.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            pid = null;
        }
        assertThat(pid).as("pid printed by the throwaway parent; its stderr is in " + work).isNotNull();
        ProcessHandle handle = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        started.add(handle);
        return handle;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
