package zoneplane.controlplane.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Cloudflare's paging block of list answers. {@code count} is the number of items on this page. */
public record ResultInfo(
        int page,
        @JsonProperty("per_page") int perPage,
        int count,
        @JsonProperty("total_count") long totalCount,
        @JsonProperty("total_pages") long totalPages) {

    public static ResultInfo of(PageRequest request, int count, long totalCount) {
        long pages = totalCount == 0 ? 0 : (totalCount + request.perPage() - 1) / request.perPage();
        return new ResultInfo(request.page(), request.perPage(), count, totalCount, pages);
    }
}
