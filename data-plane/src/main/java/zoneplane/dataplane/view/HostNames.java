package zoneplane.dataplane.view;

/** Turns a request's Host / :authority into a zone-name candidate. */
public final class HostNames {

    private HostNames() {}

    /**
     * Lower-cases {@code host} and strips a port and a trailing dot; IPv6 literals ({@code [::1]:8000})
     * and empty or oversized values give null (no zone can match them).
     */
    public static String normalize(String host) {
        if (host == null || host.isEmpty() || host.length() > 260 || host.charAt(0) == '[') {
            return null;
        }
        int end = host.length();
        int colon = host.indexOf(':');
        if (colon >= 0) {
            end = colon;
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return null;
        }
        boolean lower = true;
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                lower = false;
                break;
            }
        }
        String name = end == host.length() ? host : host.substring(0, end);
        return lower ? name : name.toLowerCase(java.util.Locale.ROOT);
    }
}
