package zoneplane.model;

import java.util.Locale;
import java.util.Optional;

/** A zone's plan. Plans decide defaults, which settings may be changed and up to which ceiling. */
public enum Plan {
    FREE,
    PRO,
    BUSINESS,
    ENTERPRISE;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The wire id: {@code free}, {@code pro}, {@code business}, {@code enterprise}. */
    public String id() {
        return id;
    }

    /** The plan's display name, as Cloudflare shows it in {@code plan.name}. */
    public String displayName() {
        return switch (this) {
            case FREE -> "Free Website";
            case PRO -> "Pro Website";
            case BUSINESS -> "Business Website";
            case ENTERPRISE -> "Enterprise Website";
        };
    }

    public static Optional<Plan> fromId(String id) {
        for (Plan plan : values()) {
            if (plan.id.equals(id)) {
                return Optional.of(plan);
            }
        }
        return Optional.empty();
    }
}
