package zoneplane.dataplane.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorExitListTest {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private final List<ExitListReload> reports = new CopyOnWriteArrayList<>();
    private TorExitList list;

    @AfterEach
    void close() {
        if (list != null) {
            list.close();
        }
    }

    @Test
    void plainAndExitAddressLinesCommentsAndBlankLinesAreRead() throws Exception {
        Path file = write("exits.txt",
                "# one address a line",
                "",
                "185.220.101.1",
                "2001:db8::7  # trailing comment",
                "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E",
                "Published 2026-11-25 10:00:00",
                "LastStatus 2026-11-25 11:00:00",
                "ExitAddress 162.247.74.27 2026-11-25 11:02:03");

        list = TorExitList.watch(file, POLL, reports::add);

        assertThat(list.isExit(InetAddress.getByName("185.220.101.1"))).isTrue();
        assertThat(list.isExit(InetAddress.getByName("2001:db8::7"))).isTrue();
        assertThat(list.isExit(InetAddress.getByName("162.247.74.27"))).isTrue();
        assertThat(list.isExit(InetAddress.getByName("185.220.101.2"))).isFalse();
        assertThat(list.size()).isEqualTo(3);
        assertThat(reports).containsExactly(new ExitListReload.Applied(file, 3));
    }

    @Test
    void aChangedFileIsAppliedWithoutRestart() throws Exception {
        Path file = write("exits.txt", "185.220.101.1");
        list = TorExitList.watch(file, POLL, reports::add);
        InetAddress added = InetAddress.getByName("2a0b:f4c2::23");

        replace(file, "# exits, second edition", "2a0b:f4c2::23", "185.220.101.9");

        await().atMost(BOUND).until(() -> list.isExit(added));
        assertThat(list.isExit(InetAddress.getByName("185.220.101.1"))).isFalse();
        assertThat(reports).containsExactly(new ExitListReload.Applied(file, 1), new ExitListReload.Applied(file, 2));
    }

    @Test
    void aCorruptFileKeepsTheOldListAndIsReportedOnce() throws Exception {
        Path file = write("exits.txt", "185.220.101.1", "185.220.101.2");
        list = TorExitList.watch(file, POLL, reports::add);

        replace(file, "185.220.101.3", "not-an-address", "185.220.101.4");

        await().atMost(BOUND).until(() -> list.lastReload() instanceof ExitListReload.Failed);
        ExitListReload.Failed failure = (ExitListReload.Failed) list.lastReload();
        assertThat(failure.reason()).contains(file + " line 2").contains("'not-an-address' is not an IPv4 or IPv6 address")
                .contains("keeping the 2 addresses in force");
        assertThat(list.isExit(InetAddress.getByName("185.220.101.1"))).isTrue();
        assertThat(list.isExit(InetAddress.getByName("185.220.101.3"))).isFalse();

        replace(file, "185.220.101.3");

        await().atMost(BOUND).until(() -> list.isExit(InetAddress.getByName("185.220.101.3")));
        assertThat(reports).hasSize(3);
    }

    @Test
    void aDeletedFileKeepsTheOldList() throws Exception {
        Path file = write("exits.txt", "185.220.101.1");
        list = TorExitList.watch(file, POLL, reports::add);

        Files.delete(file);

        await().atMost(BOUND).until(() -> list.lastReload() instanceof ExitListReload.Failed);
        assertThat(((ExitListReload.Failed) list.lastReload()).reason()).contains("does not exist");
        assertThat(list.isExit(InetAddress.getByName("185.220.101.1"))).isTrue();
    }

    @Test
    void aFileThatAppearsLaterIsPickedUp() throws Exception {
        Path file = directory.resolve("later.txt");
        list = TorExitList.watch(file, POLL, reports::add);
        assertThat(list.size()).isZero();
        assertThat(reports).singleElement().isInstanceOf(ExitListReload.Failed.class);

        replace(file, "185.220.101.5");

        await().atMost(BOUND).until(() -> list.isExit(InetAddress.getByName("185.220.101.5")));
    }

    @Test
    void closeStopsTheReloading() throws Exception {
        Path file = write("exits.txt", "185.220.101.1");
        Set<Thread> before = pollerThreads();
        list = TorExitList.watch(file, POLL, reports::add);
        Set<Thread> started = new HashSet<>(pollerThreads());
        started.removeAll(before);
        assertThat(started).hasSize(1);

        list.close();

        Thread poller = started.iterator().next();
        await().atMost(BOUND).until(() -> !poller.isAlive());
    }

    @Test
    void aNonPositivePollIntervalIsRefused() {
        Path file = directory.resolve("exits.txt");

        assertThatThrownBy(() -> TorExitList.watch(file, Duration.ZERO, reports::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pollInterval must be positive");
    }

    private static Set<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("tor-exit-list-reload") && thread.isAlive())
                .collect(Collectors.toSet());
    }

    private Path write(String name, String... lines) throws Exception {
        return Files.write(directory.resolve(name), List.of(lines));
    }

    /** Writes a new version beside the file and renames it over, as deploy tools and ConfigMaps do. */
    private void replace(Path file, String... lines) throws Exception {
        Path next = Files.write(directory.resolve(file.getFileName() + ".next"), List.of(lines));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
