package antidote.nn;

import java.util.Collection;
import java.util.List;

/** State-dict keys written into one-line messages: at most {@link #SHOWN} of them, then how many more. */
public final class KeyList {
    /** How many keys a message names before it says "... and N more". */
    public static final int SHOWN = 8;

    private KeyList() {
    }

    /** {@code [a, b, c]}, or {@code [a, ..., h, ... and 12 more]} for long lists. */
    public static String of(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        if (all.size() <= SHOWN) {
            return all.toString();
        }
        return "[" + String.join(", ", all.subList(0, SHOWN)) + ", ... and " + (all.size() - SHOWN) + " more]";
    }
}
