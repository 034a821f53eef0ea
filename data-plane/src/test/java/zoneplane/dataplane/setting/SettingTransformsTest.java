package zoneplane.dataplane.setting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import zoneplane.dataplane.support.FakeGeo;
import zoneplane.model.Setting;

class SettingTransformsTest {

    @Test
    void everyCatalogueSettingWithAPerRequestEffectHasExactlyOneTransform() {
        var transforms = SettingTransforms.all(new FakeGeo.Countries(), new FakeGeo.TorExits(), Optional.empty());
        Set<Setting> covered = transforms.stream().map(SettingTransform::setting).collect(Collectors.toSet());

        // ipv6 decides the DNS records the edge publishes (SPEC §5.7), not per-request behaviour.
        Set<Setting> expected = EnumSet.allOf(Setting.class);
        expected.remove(Setting.IPV6);
        assertThat(covered).isEqualTo(expected);
        assertThat(transforms).hasSize(expected.size());
    }
}
