package antidote.data.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a GTSRB annotation file: semicolon-separated, a header row naming the columns (Filename, Width,
 * Height, Roi.X1, Roi.Y1, Roi.X2, Roi.Y2, ClassId), then one row per image.
 */
final class GtsrbCsv {
    private static final List<String> COLUMNS = List.of("Filename", "Width", "Height", "Roi.X1", "Roi.Y1", "Roi.X2",
            "Roi.Y2", "ClassId");

    /** One annotated image; the ROI corners are pixel coordinates, both inclusive. */
    record Row(int line, String filename, int width, int height, int x1, int y1, int x2, int y2, int classId) {
    }

    private GtsrbCsv() {
    }

    /** Reads every row of {@code csv}; {@code fix} tells the user how to get a good copy. */
    static List<Row> read(Path csv, String fix) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
        if (lines.isEmpty()) {
            throw new MalformedDataException(csv, "line 1", "the file is empty", fix);
        }
        List<String> header = Arrays.asList(lines.get(0).strip().split(";", -1));
        int[] column = new int[COLUMNS.size()];
        for (int k = 0; k < COLUMNS.size(); k++) {
            column[k] = header.indexOf(COLUMNS.get(k));
            if (column[k] < 0) {
                throw new MalformedDataException(csv, "line 1", "the header " + header + " has no column '" + COLUMNS.get(k)
                        + "'", "ClassId".equals(COLUMNS.get(k)) ? "This annotation file has no labels. " + fix : fix);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(";", -1);
            if (cells.length != header.size()) {
                throw new MalformedDataException(csv, "line " + (i + 1), cells.length + " fields where the header has "
                        + header.size(), fix);
            }
            int[] v = new int[COLUMNS.size()];
            for (int k = 1; k < COLUMNS.size(); k++) {
                v[k] = parse(cells[column[k]], csv, i + 1, COLUMNS.get(k), fix);
            }
            String filename = cells[column[0]].strip();
            if (filename.isEmpty() || filename.contains("/") || filename.contains("\\") || filename.equals("..")) {
                throw new MalformedDataException(csv, "line " + (i + 1), "bad Filename '" + filename
                        + "' (must be a plain file name in the same folder)", fix);
            }
            rows.add(new Row(i + 1, filename, v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
        }
        return rows;
    }

    private static int parse(String cell, Path csv, int line, String column, String fix) throws IOException {
        try {
            int value = Integer.parseInt(cell.strip());
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedDataException(csv, "line " + line, column + " '" + cell + "' is not a non-negative integer",
                    fix);
        }
    }
}
