package antidote.report;

import antidote.poison.EpochRecord;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reports are strict JSON (non-finite numbers become null with a note), and bad files are named. */
class JsonTest {

    @Test
    void nanAndInfinityAreWrittenAsNullAndListedWithTheirPaths(@TempDir Path dir) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("history", List.of(new EpochRecord(1, Double.NaN, 0.5, 0.1, 0.4, 2.0)));
        report.put("ratio", Double.POSITIVE_INFINITY);
        report.put("acc", 0.9);
        Path file = dir.resolve("report.json");
        Json.write(file, report);
        String text = Files.readString(file);
        StrictJson.check(file.toString(), text);
        JsonObject tree = Json.read(file, JsonObject.class);
        assertTrue(tree.getAsJsonArray("history").get(0).getAsJsonObject().get("loss").isJsonNull(), text);
        assertTrue(tree.get("ratio").isJsonNull(), text);
        assertEquals(0.9, tree.get("acc").getAsDouble());
        String notes = tree.getAsJsonArray(Json.NULL_VALUES).toString();
        assertTrue(notes.contains("history[0].loss was NaN") && notes.contains("ratio was Infinity"), notes);
        StrictJson.check("compact", Json.compact(report));
    }

    @Test
    void aReportWithoutNonFiniteNumbersHasNoNote() {
        assertTrue(!Json.pretty(Map.of("acc", 0.5)).contains(Json.NULL_VALUES));
    }

    @Test
    void aMalformedOrMissingFileIsOneLineNamingIt(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("report.json"), "{\"config\": {\"dataset\": ");
        String message = assertThrows(IOException.class, () -> Json.read(broken, JsonObject.class)).getMessage();
        assertTrue(message.startsWith(broken + " is not valid JSON") && !message.contains("\n"), message);
        Path missing = dir.resolve("none.json");
        String absent = assertThrows(IOException.class, () -> Json.read(missing, JsonObject.class)).getMessage();
        assertEquals("cannot read " + missing + ": no such file or folder", absent);
    }
}
