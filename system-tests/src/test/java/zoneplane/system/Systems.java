package zoneplane.system;

/** Suite-wide switches. */
final class Systems {

    private Systems() {}

    /** {@code -Dzoneplane.system.heavy=true}: longer runs and more load in every scenario. */
    static boolean heavy() {
        return Boolean.getBoolean("zoneplane.system.heavy");
    }
}
