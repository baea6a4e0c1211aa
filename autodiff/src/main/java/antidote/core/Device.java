package antidote.core;

import java.util.Locale;

/**
 * Where a tensor's buffer lives: a backend kind ("cpu", "cuda", "reference") and an index.
 *
 * @param kind  the backend kind, lower case
 * @param index the device index within that kind (0 for single-device backends)
 */
public record Device(String kind, int index) {

    /** The default CPU device. */
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        kind = kind.toLowerCase(Locale.ROOT);
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, got " + index);
        }
    }

    /** Parses "cpu", "cuda", "cuda:1" or "reference". */
    public static Device parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new Device(text.trim(), 0);
        }
        try {
            return new Device(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad device '" + text + "': expected KIND or KIND:INDEX, e.g. cuda:0", e);
        }
    }

    @Override
    public String toString() {
        return index == 0 ? kind : kind + ":" + index;
    }
}
