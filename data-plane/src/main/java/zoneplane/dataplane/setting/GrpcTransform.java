package zoneplane.dataplane.setting;

import io.netty.handler.codec.http.HttpResponseStatus;
import zoneplane.model.Setting;

/**
 * {@code grpc=off} → a gRPC request (content-type {@code application/grpc…}) gets 403 and the origin is
 * not contacted, as Cloudflare documents. {@code on} → the proxy carries it over HTTP/2 end to end.
 */
public final class GrpcTransform implements SettingTransform {

    @Override
    public Setting setting() {
        return Setting.GRPC;
    }

    @Override
    public void apply(ProxyExchange exchange) {
        if (exchange.grpc() && !exchange.settings().toggle(Setting.GRPC)) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, "gRPC is not enabled for this zone.");
        }
    }

    @Override
    public String toString() {
        return "GrpcTransform";
    }
}
