package zoneplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZoneConfigTest {

    @Test
    void aZoneIdIsExactly32LowerCaseHexDigits() {
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcdef")).isTrue();
        assertThat(ZoneConfig.isZoneId("0123456789ABCDEF0123456789abcdef")).as("upper case").isFalse();
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcde")).as("31 digits").isFalse();
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcdef0")).as("33 digits").isFalse();
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcdeg")).as("not hex").isFalse();
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcd/f")).as("just below '0'").isFalse();
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcd:f")).as("just above '9'").isFalse();
        assertThat(ZoneConfig.isZoneId("0123456789abcdef0123456789abcd`f")).as("just below 'a'").isFalse();
        assertThat(ZoneConfig.isZoneId("")).isFalse();
        assertThat(ZoneConfig.isZoneId(null)).isFalse();
    }

    @Test
    void aConfigWithABadIdIsRefused() {
        assertThatThrownBy(() -> new ZoneConfig("not-an-id", "example.com", Plan.FREE, "", false,
                ZoneSettings.defaultsFor(Plan.FREE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 lowercase hex");
    }
}
