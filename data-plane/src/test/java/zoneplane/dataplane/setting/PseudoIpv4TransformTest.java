package zoneplane.dataplane.setting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import zoneplane.model.Cidr;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneSettings;

class PseudoIpv4TransformTest {

    private static final Cidr CLASS_E = Cidr.parse("240.0.0.0/4");

    @Test
    void addressIsClassEAndDecidedByTheSlash64Only() throws Exception {
        String a = PseudoIpv4Transform.pseudoIpv4(InetAddress.getByName("2400:cb00:f00d:dead:beef:1111:2222:3333"));
        String b = PseudoIpv4Transform.pseudoIpv4(InetAddress.getByName("2400:cb00:f00d:dead::1"));
        String other = PseudoIpv4Transform.pseudoIpv4(InetAddress.getByName("2400:cb00:f00d:beef::1"));

        assertThat(CLASS_E.contains(InetAddress.getByName(a))).isTrue();
        assertThat(a).isEqualTo(b);
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void distinctPrefixesSpreadOverTheClassEBlock() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            InetAddress v6 = InetAddress.getByName("2001:db8:" + Integer.toHexString(i) + "::1");
            String pseudo = PseudoIpv4Transform.pseudoIpv4(v6);
            assertThat(CLASS_E.contains(InetAddress.getByName(pseudo))).isTrue();
            assertThat(pseudo).isNotEqualTo("255.255.255.255");
            seen.add(pseudo);
        }
        assertThat(seen).hasSizeGreaterThan(1990);
    }

    @Test
    void everyCatalogueValueOfPseudoIpv4HasItsMode() {
        for (String word : List.of("off", "add_header", "overwrite_header")) {
            ZoneSettings settings = ZoneSettings.defaultsFor(Plan.FREE)
                    .with(Setting.PSEUDO_IPV4, Setting.PSEUDO_IPV4.value(word).orElseThrow());
            assertThat(PseudoIpv4Transform.Mode.of(settings).name()).isEqualTo(word.toUpperCase(Locale.ROOT));
        }
        assertThat(Setting.PSEUDO_IPV4.allValues()).hasSize(PseudoIpv4Transform.Mode.values().length);
    }
}
