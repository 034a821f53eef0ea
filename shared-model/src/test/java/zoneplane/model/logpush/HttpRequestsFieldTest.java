package zoneplane.model.logpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpRequestsFieldTest {

    /** The fields issue 23 asks for, by Cloudflare's names, plus Zoneplane's connection kind. */
    private static final List<String> ASKED = List.of("ClientIP", "ClientSrcPort", "ClientCountry", "ClientRequestHost",
            "ClientRequestMethod", "ClientRequestURI", "ClientRequestPath", "ClientRequestQuery", "ClientRequestProtocol",
            "ClientRequestScheme", "ClientRequestBytes", "ClientRequestUserAgent", "ClientRequestReferer", "ClientSSLProtocol",
            "EdgeStartTimestamp", "EdgeEndTimestamp", "EdgeTimeToFirstByteMs", "EdgeResponseStatus", "EdgeResponseBytes",
            "EdgeResponseBodyBytes", "EdgeResponseContentType", "EdgeColoCode", "EdgeServerIP", "OriginIP",
            "OriginResponseStatus", "OriginResponseDurationMs", "RayID", "ZoneName", "ZoneplaneConnectionKind");

    @Test
    void theCatalogueHoldsExactlyTheFieldsTheEdgeKnowsInOrder() {
        assertThat(Arrays.stream(HttpRequestsField.values()).map(HttpRequestsField::fieldName)).containsExactlyElementsOf(ASKED);
    }

    @Test
    void everyFieldIsFoundByItsCaseSensitiveNameAndDescribed() {
        for (HttpRequestsField field : HttpRequestsField.values()) {
            assertThat(HttpRequestsField.named(field.fieldName())).contains(field);
            assertThat(HttpRequestsField.named(field.fieldName().toLowerCase())).isEmpty();
            assertThat(field.description()).isNotBlank().doesNotEndWith(".");
        }
        assertThat(HttpRequestsField.named("BotScore")).isEmpty();
    }

    @Test
    void typesFollowCloudflaresReference() {
        assertThat(HttpRequestsField.EDGE_START_TIMESTAMP.type()).isEqualTo(FieldType.TIMESTAMP);
        assertThat(HttpRequestsField.EDGE_END_TIMESTAMP.type()).isEqualTo(FieldType.TIMESTAMP);
        assertThat(HttpRequestsField.EDGE_RESPONSE_STATUS.type()).isEqualTo(FieldType.INT);
        assertThat(HttpRequestsField.CLIENT_SRC_PORT.type()).isEqualTo(FieldType.INT);
        assertThat(HttpRequestsField.CLIENT_IP.type()).isEqualTo(FieldType.STRING);
        assertThat(HttpRequestsField.ZONEPLANE_CONNECTION_KIND.type()).isEqualTo(FieldType.STRING);
    }

    @Test
    void connectionKindsHaveTheirWireNames() {
        assertThat(Arrays.stream(ZoneplaneConnectionKind.values()).map(ZoneplaneConnectionKind::wire))
                .containsExactly("http", "websocket", "grpc");
        assertThat(ZoneplaneConnectionKind.fromWire("websocket")).contains(ZoneplaneConnectionKind.WEBSOCKET);
        assertThat(ZoneplaneConnectionKind.fromWire("WebSocket")).isEmpty();
    }

    @Test
    void defaultFieldsAreFieldsOfTheCatalogueWithoutRepeats() {
        assertThat(HttpRequestsField.DEFAULT_FIELDS).doesNotHaveDuplicates().contains(HttpRequestsField.RAY_ID);
    }
}
