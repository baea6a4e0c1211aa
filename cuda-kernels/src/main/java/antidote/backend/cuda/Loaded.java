package antidote.backend.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An optional native library wrapper: either loaded, or the reason it is not (for the log).
 *
 * @param library the wrapper, null when it did not load
 * @param reason  why it did not load, null when it did
 */
record Loaded<T>(T library, String reason) {
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    static <T> Loaded<T> of(T library) {
        return new Loaded<>(library, null);
    }

    static <T> Loaded<T> failed(Throwable error) {
        return new Loaded<>(null, summarize(error));
    }

    static <T> Loaded<T> disabled(String why) {
        return new Loaded<>(null, why);
    }

    boolean isLoaded() {
        return library != null;
    }

    /**
     * One line for a failure to load or initialise a native library. JCuda's UnsatisfiedLinkError carries the
     * stack traces of every attempt in its message; what matters is its first line and the shared object the
     * dynamic linker could not find.
     */
    static String summarize(Throwable error) {
        String message = String.valueOf(error.getMessage());
        String summary = error.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("").trim();
        Matcher missing = MISSING_LIBRARY.matcher(message);
        return missing.find() ? summary + " (" + missing.group(1) + " not found)" : summary;
    }
}
