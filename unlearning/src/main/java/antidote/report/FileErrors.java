package antidote.report;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * File-system errors as one line that names the operation, the path and the reason ("cannot write
 * /x/report.json: permission denied"), where Java's own message is often the bare path.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** An IOException saying that {@code operation} (e.g. "write") on {@code path} failed, and why. */
    public static IOException of(String operation, Path path, IOException cause) {
        return new IOException("cannot " + operation + " " + path + ": " + reason(cause), cause);
    }

    /** The operating system's reason for a failed file operation, without the path Java puts in front of it. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(e.getMessage());
    }
}
