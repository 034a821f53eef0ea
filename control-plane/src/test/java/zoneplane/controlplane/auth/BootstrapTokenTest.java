package zoneplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

class BootstrapTokenTest {

    static final String SECRET = "operator-secret-0123456789abcdef";

    static StandardEnvironment profiles(String... active) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles(active);
        return environment;
    }

    @Test
    void startingWithoutATokenOutsideLocalDevTestFailsWithAClearMessage() {
        for (String[] active : new String[][] {{}, {"prod"}, {"staging", "migrate"}}) {
            assertThatThrownBy(() -> new BootstrapToken(new BootstrapTokenProperties(null, null), profiles(active)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ZONEPLANE_BOOTSTRAP_TOKEN")
                    .hasMessageContaining("ZONEPLANE_BOOTSTRAP_TOKEN_FILE");
        }
    }

    @Test
    void localDevAndTestProfilesStartWithoutATokenAndThenNothingMatches() {
        for (String profile : new String[] {"local", "dev", "test"}) {
            BootstrapToken none = new BootstrapToken(new BootstrapTokenProperties(null, null), profiles(profile));
            assertThat(none.configured()).isFalse();
            assertThat(none.matches(TokenDigest.sha256(""))).isFalse();
            assertThat(none.matches(TokenDigest.sha256(SECRET))).isFalse();
        }
    }

    @Test
    void aConfiguredTokenMatchesOnlyItself() {
        BootstrapToken token = new BootstrapToken(new BootstrapTokenProperties(SECRET, null), profiles());
        assertThat(token.matches(TokenDigest.sha256(SECRET))).isTrue();
        assertThat(token.matches(TokenDigest.sha256(SECRET + "x"))).isFalse();
        assertThat(token.matches(TokenDigest.sha256(SECRET.substring(1)))).isFalse();
        assertThat(token.toString()).doesNotContain(SECRET);
    }

    @Test
    void shortOrUnsendableTokensAreRefusedAtStartEvenInLocal() {
        for (String bad : new String[] {"short", "with space inside 0123456789", "quote\"0123456789012345678"}) {
            assertThatThrownBy(() -> new BootstrapToken(new BootstrapTokenProperties(bad, null), profiles("local")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining(bad);
        }
    }

    @Test
    void theTokenIsReadFromAMountedSecretFileWithoutItsTrailingNewline(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), SECRET + "\n");
        BootstrapToken token = new BootstrapToken(new BootstrapTokenProperties(null, file), profiles());
        assertThat(token.matches(TokenDigest.sha256(SECRET))).isTrue();
    }

    @Test
    void aMissingSecretFileOrBothSourcesFailStart(@TempDir Path dir) {
        assertThatThrownBy(() -> new BootstrapToken(new BootstrapTokenProperties(null, dir.resolve("absent")), profiles("local")))
                .hasMessageContaining("Cannot read zoneplane.bootstrap-token-file");
        assertThatThrownBy(() -> new BootstrapToken(new BootstrapTokenProperties(SECRET, dir.resolve("absent")), profiles()))
                .hasMessageContaining("not both");
    }

    @Test
    void propertiesNeverPrintTheSecret() {
        assertThat(new BootstrapTokenProperties(SECRET, null).toString()).doesNotContain(SECRET).contains("redacted");
    }
}
