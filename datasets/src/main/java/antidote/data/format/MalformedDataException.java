package antidote.data.format;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that does not have the expected format: names the file, where in it, what is wrong and the fix. */
public final class MalformedDataException extends IOException {
    private final Path file;
    private final String location;

    /**
     * @param file     the offending file
     * @param location where in it, such as "byte 16" or "line 3", or "" when the whole file is concerned
     * @param problem  what is wrong
     * @param fix      what the user can do about it
     */
    public MalformedDataException(Path file, String location, String problem, String fix) {
        super(file + (location.isEmpty() ? "" : " (" + location + ")") + ": " + problem + ". " + fix);
        this.file = file;
        this.location = location;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** Where in the file, such as "byte 16" or "line 3"; empty when the whole file is concerned. */
    public String location() {
        return location;
    }
}
