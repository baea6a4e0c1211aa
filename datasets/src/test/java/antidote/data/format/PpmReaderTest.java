package antidote.data.format;

import antidote.data.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PpmReaderTest {
    private static final Path FILE = Path.of("sign.ppm");

    @Test
    void decodesBinaryP6OfOddSize() throws IOException {
        byte[] rgb = new byte[3 * 5 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 5);
        }
        RgbImage image = PpmReader.decode(Fixtures.ppm(5, 3, rgb), FILE);
        assertEquals(5, image.width());
        assertEquals(3, image.height());
        assertArrayEquals(rgb, image.rgb());
        byte[] chw = image.toChw();
        assertEquals(rgb[3 * (2 * 5 + 4) + 1], chw[15 + 2 * 5 + 4], "green of pixel (x=4, y=2)");
    }

    @Test
    void decodesAsciiP3WithCommentsAndRescalesMaxval() throws IOException {
        String text = "P3\n# comment\n2 1 # trailing comment\n15\n15 0 7\n  1 2 3\n";
        RgbImage image = PpmReader.decode(text.getBytes(StandardCharsets.US_ASCII), FILE);
        assertArrayEquals(new byte[] {(byte) 255, 0, 119, 17, 34, 51}, image.rgb());
    }

    @Test
    void decodesSixteenBitSamples() throws IOException {
        byte[] header = "P6 1 1 65535\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[header.length + 6];
        System.arraycopy(header, 0, bytes, 0, header.length);
        bytes[header.length] = (byte) 0xFF;
        bytes[header.length + 1] = (byte) 0xFF;
        bytes[header.length + 2] = (byte) 0x80;
        RgbImage image = PpmReader.decode(bytes, FILE);
        assertArrayEquals(new byte[] {(byte) 255, (byte) 128, 0}, image.rgb());
    }

    @Test
    void rejectsBadMagic() {
        assertRejected("P5\n1 1\n255\n\0".getBytes(StandardCharsets.US_ASCII), "found magic 'P5'");
        assertRejected("GIF89a".getBytes(StandardCharsets.US_ASCII), "found magic 'GI'");
    }

    @Test
    void rejectsBadHeaderAndMaxval() {
        assertRejected(ascii("P6\n10 x\n255\n"), "expected a number for height");
        assertRejected(ascii("P6\n0 4\n255\n"), "width is 0");
        assertRejected(ascii("P6\n1 1\n0\n\0\0\0"), "maxval is 0");
        assertRejected(ascii("P6\n1 1\n70000\n\0\0\0"), "maxval exceeds 65535");
        assertRejected(ascii("P6\n1 1"), "the file ends before maxval");
        assertRejected(ascii("P3\n1 1\n15\n1 2 16\n"), "sample 2 exceeds 15");
    }

    @Test
    void rejectsRasterThatDisagreesWithTheHeader() {
        assertRejected(Fixtures.ppm(4, 4, new byte[3 * 4 * 4 - 1]), "needs 48 raster bytes, but 47 follow", "truncated");
        assertRejected(Fixtures.ppm(4, 4, new byte[3 * 4 * 4 + 3]), "needs 48 raster bytes, but 51 follow", "disagree");
        assertRejected(ascii("P3 1 1 255 1 2 3 4\n"), "data follows");
    }

    @Test
    void rejectsHostileDimensionsBeforeAllocating() {
        assertRejected(ascii("P6\n100000 100000\n255\n\0\0\0"), "needs 30000000000 raster bytes, but 3 follow");
        assertRejected(ascii("P6\n2000000000 2000000000\n255\n\0\0\0"), "width exceeds 16777216");
        assertRejected(ascii("P3\n100000 100000\n255\n1 2 3"), "room for at most");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertRejected(byte[] bytes, String... parts) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> PpmReader.decode(bytes, FILE));
        assertEquals(FILE, e.file());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }
}
