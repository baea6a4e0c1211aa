package antidote.pipeline;

import antidote.data.source.DataSources;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a set of images comes from, as the user writes it: a named dataset's split with an optional range
 * ({@code cifar10:test[0:5000]}, {@code fashion-mnist:train}, {@code cifar10:test[5000:]}) or an image folder
 * ({@code folder:PATH}, one sub-folder per class). Ranges are half-open, as Python slices.
 *
 * @param dataset the dataset name, or null for a folder
 * @param split   the split of a named dataset, or null for a folder
 * @param from    the first image (inclusive), 0 when not given
 * @param to      the end (exclusive), or null for the end of the split
 * @param folder  the image folder, or null for a named dataset
 */
public record DataSpec(String dataset, String split, int from, Integer to, Path folder) {
    private static final Pattern RANGE = Pattern.compile("^(.*)\\[\\s*(\\d*)\\s*:\\s*(\\d*)\\s*]$");
    private static final String EXAMPLE = "write NAME:SPLIT[FROM:TO] (e.g. cifar10:test[0:5000]) or folder:PATH";

    public DataSpec {
        if (from < 0 || (to != null && to <= from)) {
            throw new IllegalArgumentException("the range [" + from + ":" + to + "] is empty or negative; " + EXAMPLE);
        }
    }

    public static DataSpec parse(String text) {
        String t = text.strip();
        if (t.startsWith(DataSources.FOLDER_PREFIX)) {
            String path = t.substring(DataSources.FOLDER_PREFIX.length());
            if (path.isBlank()) {
                throw new IllegalArgumentException("'" + text + "' names no folder; " + EXAMPLE);
            }
            return new DataSpec(null, null, 0, null, Path.of(path));
        }
        int from = 0;
        Integer to = null;
        Matcher m = RANGE.matcher(t);
        if (m.matches()) {
            t = m.group(1).strip();
            from = m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
            to = m.group(3).isEmpty() ? null : Integer.valueOf(m.group(3));
        } else if (t.contains("[")) {
            throw new IllegalArgumentException("'" + text + "': a range is [FROM:TO] with whole numbers; " + EXAMPLE);
        }
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' names no split; " + EXAMPLE);
        }
        return new DataSpec(t.substring(0, colon).strip(), t.substring(colon + 1).strip(), from, to, null);
    }

    public boolean isFolder() {
        return folder != null;
    }

    /** The images of the same split that this spec leaves out after its range, e.g. {@code cifar10:test[5000:]}. */
    public DataSpec rest() {
        if (isFolder() || from != 0 || to == null) {
            throw new IllegalArgumentException("no held-out part follows '" + this + "'; give --eval SPEC explicitly");
        }
        return new DataSpec(dataset, split, to, null, null);
    }

    /** True when the two specs can share an image: the same folder, or ranges of one split that intersect. */
    public boolean overlaps(DataSpec other) {
        if (isFolder() || other.isFolder()) {
            return isFolder() && other.isFolder()
                    && folder.toAbsolutePath().normalize().equals(other.folder.toAbsolutePath().normalize());
        }
        if (!dataset.equalsIgnoreCase(other.dataset) || !split.equals(other.split)) {
            return false;
        }
        long end = to == null ? Long.MAX_VALUE : to;
        long otherEnd = other.to == null ? Long.MAX_VALUE : other.to;
        return from < otherEnd && other.from < end;
    }

    @Override
    public String toString() {
        if (isFolder()) {
            return DataSources.FOLDER_PREFIX + folder;
        }
        String range = from == 0 && to == null ? "" : "[" + from + ":" + (to == null ? "" : to) + "]";
        return dataset + ":" + split + range;
    }
}
