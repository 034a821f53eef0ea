package zoneplane.controlplane.api;

/**
 * Cloudflare paging parameters ({@code page} from 1, {@code per_page}), validated: lists never
 * answer more than {@link #MAX_PER_PAGE} items at once, whatever the caller asks.
 */
public record PageRequest(int page, int perPage) {

    public static final int DEFAULT_PER_PAGE = 20;
    public static final int MAX_PER_PAGE = 50;

    public PageRequest {
        if (page < 1) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, "page must be 1 or more");
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, "per_page must be between 1 and " + MAX_PER_PAGE);
        }
    }

    /** From the raw query parameters (null when absent); non-numbers are refused with 400. */
    public static PageRequest parse(String page, String perPage) {
        return new PageRequest(number("page", page, 1), number("per_page", perPage, DEFAULT_PER_PAGE));
    }

    public long offset() {
        return (long) (page - 1) * perPage;
    }

    private static int number(String name, String raw, int fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, name + " must be a whole number");
        }
    }
}
