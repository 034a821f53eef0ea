package zoneplane.dataplane.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

class ZoneViewTest {

    private static ZoneConfig zone(int n, String name, Plan plan) {
        return new ZoneConfig(String.format("%032x", n), name, plan, "http://127.0.0.1:" + (1000 + n), false,
                ZoneSettings.defaultsFor(plan));
    }

    @Test
    void routesExactNamesThenTheLongestParentZoneIgnoringCasePortAndTrailingDot() {
        ZoneView view = ZoneView.of(5, List.of(zone(1, "example.com", Plan.FREE), zone(2, "api.example.com", Plan.PRO)));

        assertThat(view.route("EXAMPLE.com:8443").id()).isEqualTo(zone(1, "x", Plan.FREE).id());
        assertThat(view.route("v1.api.example.com.").name()).isEqualTo("api.example.com");
        assertThat(view.route("www.example.com").name()).isEqualTo("example.com");
        assertThat(view.route("example.org")).isNull();
        assertThat(view.route("com")).isNull();
        assertThat(view.route("[::1]:8000")).isNull();
        assertThat(view.route("")).isNull();
        assertThat(view.revision()).isEqualTo(5);
        assertThat(view.size()).isEqualTo(2);
    }

    @Test
    void applyingChangesLeavesTheOldViewUntouched() {
        ZoneView before = ZoneView.of(1, List.of(zone(1, "a.test", Plan.FREE)));

        ZoneView after = before.apply(List.of(
                new Change.ZoneUpserted(2, zone(1, "a.test", Plan.ENTERPRISE)),
                new Change.ZoneUpserted(3, zone(2, "b.test", Plan.FREE)),
                new Change.ZoneDeleted(4, zone(2, "b.test", Plan.FREE).id(), "b.test")));

        assertThat(after.revision()).isEqualTo(4);
        assertThat(after.zone("a.test").orElseThrow().plan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(after.zone("b.test")).isEmpty();
        assertThat(before.zone("a.test").orElseThrow().plan()).isEqualTo(Plan.FREE);
        assertThat(before.revision()).isEqualTo(1);
    }

    @Test
    void aChangeThatDoesNotFollowTheRevisionIsRefused() {
        ZoneView view = ZoneView.of(7, List.of());

        assertThatThrownBy(() -> view.apply(new Change.ZoneUpserted(9, zone(1, "a.test", Plan.FREE))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("9 does not follow revision 7");
        assertThatThrownBy(() -> view.apply(new Change.ZoneUpserted(7, zone(1, "a.test", Plan.FREE))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDeletionOfAnotherZoneWithTheSameNameIsIgnored() {
        ZoneView view = ZoneView.of(1, List.of(zone(1, "a.test", Plan.FREE)));

        ZoneView after = view.apply(new Change.ZoneDeleted(2, zone(99, "a.test", Plan.FREE).id(), "a.test"));

        assertThat(after.zone("a.test")).isPresent();
        assertThat(after.size()).isEqualTo(1);
    }

    /** Random upserts and deletions in random batches, checked against a plain map after every batch. */
    @Test
    void agreesWithAMapThroughThousandsOfRandomChanges() {
        Random random = new Random(20261125);
        Map<String, ZoneConfig> model = new HashMap<>();
        List<ZoneConfig> initial = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ZoneConfig z = zone(i, "z" + i + ".test", Plan.FREE);
            initial.add(z);
            model.put(z.name(), z);
        }
        ZoneView view = ZoneView.of(10, initial);
        long revision = 10;
        for (int batch = 0; batch < 400; batch++) {
            List<Change> changes = new ArrayList<>();
            for (int k = random.nextInt(30); k >= 0; k--) {
                int n = random.nextInt(6000);
                String name = "z" + n + ".test";
                if (random.nextInt(3) == 0) {
                    changes.add(new Change.ZoneDeleted(++revision, zone(n, name, Plan.FREE).id(), name));
                    model.remove(name);
                } else {
                    ZoneConfig z = zone(n, name, Plan.values()[random.nextInt(4)]);
                    changes.add(new Change.ZoneUpserted(++revision, z));
                    model.put(name, z);
                }
            }
            view = view.apply(changes);

            assertThat(view.size()).isEqualTo(model.size());
            assertThat(view.revision()).isEqualTo(revision);
        }
        for (int n = 0; n < 6000; n++) {
            assertThat(view.zone("z" + n + ".test").orElse(null)).isEqualTo(model.get("z" + n + ".test"));
        }
        Map<String, ZoneConfig> seen = new HashMap<>();
        view.forEach(z -> seen.put(z.name(), z));
        assertThat(seen).isEqualTo(model);
    }
}
