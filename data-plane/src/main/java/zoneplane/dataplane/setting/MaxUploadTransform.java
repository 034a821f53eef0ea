package zoneplane.dataplane.setting;

import io.netty.handler.codec.http.HttpResponseStatus;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;

/**
 * {@code max_upload} (megabytes) → a body larger than the limit gets 413: at once when
 * {@code Content-Length} says so (the origin is never contacted), else the streamed body is counted
 * and cut when it crosses the limit.
 */
public final class MaxUploadTransform implements SettingTransform {

    @Override
    public Setting setting() {
        return Setting.MAX_UPLOAD;
    }

    @Override
    public void apply(ProxyExchange exchange) {
        SettingValue.Megabytes maxUpload = exchange.settings().megabytes(Setting.MAX_UPLOAD);
        long limit = maxUpload.bytes();
        if (exchange.declaredContentLength() > limit) {
            exchange.refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The request body is larger than this zone's maximum upload size of "
                            + maxUpload.megabytes() + " MB.");
        } else {
            exchange.limitBody(limit);
        }
    }

    @Override
    public String toString() {
        return "MaxUploadTransform";
    }
}
