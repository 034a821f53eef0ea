package zoneplane.model;

/**
 * A setting's value as it travels on the wire: a word ({@code "on"}, {@code "add_header"}) is a JSON
 * string, a size in megabytes is a JSON integer. The catalogue holds one canonical instance of every
 * allowed value, so views of many zones share them instead of allocating per zone.
 */
public sealed interface SettingValue permits SettingValue.Word, SettingValue.Megabytes {

    /** The value as JSON text would show it, without quotes ({@code on}, {@code 100}). */
    String text();

    record Word(String word) implements SettingValue {
        public Word {
            if (word == null || word.isEmpty()) {
                throw new IllegalArgumentException("a setting word must not be empty");
            }
        }

        @Override
        public String text() {
            return word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    record Megabytes(int megabytes) implements SettingValue {
        public Megabytes {
            if (megabytes <= 0) {
                throw new IllegalArgumentException("a size must be positive: " + megabytes);
            }
        }

        public long bytes() {
            return megabytes * 1024L * 1024L;
        }

        @Override
        public String text() {
            return Integer.toString(megabytes);
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
