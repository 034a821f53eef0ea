package zoneplane.dataplane.logpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpDestinationConfTest {

    @Test
    void headerParametersBecomeHeadersAndLeaveTheUrl() {
        HttpDestinationConf conf = HttpDestinationConf.parse(
                "https://logs.example.net:8443/in/a?header_Authorization=Basic%20YWJj&token=t%2B1&header_X-Source=edge&x");
        assertThat(conf.target()).hasToString("https://logs.example.net:8443/in/a?token=t%2B1&x");
        assertThat(conf.headers()).isEqualTo(Map.of("Authorization", "Basic YWJj", "X-Source", "edge"));
        assertThat(conf.toString()).doesNotContain("YWJj", "t%2B1", "token").contains("logs.example.net");
        assertThat(HttpDestinationConf.parse("https://logs.example.net?header_Content-Encoding=br&header_Content-Type=a/b"
                + "&header_Connection=close&header_X-Kept=1").headers()).isEqualTo(Map.of("X-Kept", "1"));
        assertThat(HttpDestinationConf.parse("https://logs.example.net").target()).hasToString("https://logs.example.net/");
    }

    @Test
    void anythingElseIsRefusedWithoutShowingTheSecret() {
        assertThatThrownBy(() -> HttpDestinationConf.parse("ftp://logs.example.net/?secret=1"))
                .hasMessage("the destination must be an http(s) URL with a host");
        assertThatThrownBy(() -> HttpDestinationConf.parse("https://logs.example.net/?header_Bad%20Name=secret"))
                .hasMessage("header_ parameter names an invalid header");
    }
}
