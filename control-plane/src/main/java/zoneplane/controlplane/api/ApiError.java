package zoneplane.controlplane.api;

/** One entry of the envelope's {@code errors}: a Cloudflare-style numeric code and a safe message. */
public record ApiError(int code, String message) {}
