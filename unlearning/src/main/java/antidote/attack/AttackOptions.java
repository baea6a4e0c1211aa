package antidote.attack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * String options for building one attack, e.g. {@code target=3 size=4} from the command line. Each read records its
 * key, so that the registry can reject options the attack never read (a typo such as {@code alpah=0.1}).
 */
public final class AttackOptions {
    /** The target class, for attacks with one. */
    public static final String TARGET = "target";
    /** The seed of every random choice the attack makes. */
    public static final String SEED = "seed";
    /** Path of a trigger image file, for attacks that can read one. */
    public static final String PATTERN = "pattern";
    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 0L;

    private final String attack;
    private final Map<String, String> values;
    private final Set<String> read = new TreeSet<>();

    /** Options {@code values} for the attack named {@code attack} (the name appears in error messages). */
    public AttackOptions(String attack, Map<String, String> values) {
        this.attack = attack;
        this.values = new TreeMap<>(values);
    }

    /** The target class, or {@code fallback} when the option is absent. */
    public int target(int fallback) {
        return integer(TARGET, fallback);
    }

    /** The seed, or {@link #DEFAULT_SEED} when the option is absent. */
    public long seed() {
        String text = raw(SEED);
        return text == null ? DEFAULT_SEED : parse(SEED, text, "an integer", "seed=42", Long::parseLong);
    }

    /** The integer option {@code key}, or {@code fallback} when absent. */
    public int integer(String key, int fallback) {
        String text = raw(key);
        return text == null ? fallback : parse(key, text, "an integer", key + "=3", Integer::parseInt);
    }

    /** The number option {@code key}, or {@code fallback} when absent. */
    public float number(String key, float fallback) {
        String text = raw(key);
        return text == null ? fallback : parse(key, text, "a number", key + "=0.2", Float::parseFloat);
    }

    /** The option {@code key}, which must be one of {@code allowed}, or {@code fallback} when absent. */
    public String choice(String key, String fallback, String... allowed) {
        String text = raw(key);
        if (text == null) {
            return fallback;
        }
        for (String value : allowed) {
            if (value.equals(text.trim())) {
                return value;
            }
        }
        throw new IllegalArgumentException("option " + key + "=" + text + " of attack " + attack + " is not one of "
                + String.join(", ", allowed) + "; write e.g. " + key + "=" + allowed[allowed.length - 1]);
    }

    /** The file path option {@code key}, if given. */
    public Optional<Path> path(String key) {
        return Optional.ofNullable(raw(key)).map(Path::of);
    }

    /** The keys given but never read, in sorted order. */
    Set<String> unread() {
        Set<String> unread = new TreeSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }

    /** The keys read so far, given or not, in sorted order. */
    Set<String> read() {
        return new TreeSet<>(read);
    }

    private String raw(String key) {
        read.add(key);
        return values.get(key);
    }

    private <T> T parse(String key, String text, String kind, String example, Function<String, T> parser) {
        try {
            return parser.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "=" + text + " of attack " + attack + " is not "
                    + kind + "; write e.g. " + example, e);
        }
    }
}
