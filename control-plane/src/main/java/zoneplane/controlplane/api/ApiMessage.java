package zoneplane.controlplane.api;

/**
 * One entry of the envelope's {@code messages}: Cloudflare sends informational notes there as
 * objects with a code and a text (e.g. {@code GET /user/tokens/verify} answers
 * {@code {"code":10000,"message":"This API Token is valid and active"}}), never bare strings.
 */
public record ApiMessage(int code, String message) {}
