package antidote.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Writes small files in the exact official byte formats, and small in-memory datasets, for the tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** An unsigned-byte IDX file with the given dimensions and values, gzipped when {@code gzip}. */
    public static Path writeIdx(Path file, int[] dims, byte[] values, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) {
            bytes.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        }
        bytes.write(values);
        return write(file, bytes.toByteArray(), gzip);
    }

    /** {@code data} as the file, gzipped when {@code gzip}. */
    public static Path write(Path file, byte[] data, boolean gzip) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(data);
        }
        return file;
    }

    /** Writes {@code n} random 28x28 images and labels below 10 as the four MNIST-style files in {@code dir}. */
    public static void writeMnistLike(Path dir, int nTrain, int nTest, boolean gzip, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String gz = gzip ? ".gz" : "";
        for (String[] split : new String[][] {{"train", Integer.toString(nTrain)}, {"t10k", Integer.toString(nTest)}}) {
            int n = Integer.parseInt(split[1]);
            writeIdx(dir.resolve(split[0] + "-images-idx3-ubyte" + gz), new int[] {n, 28, 28}, randomBytes(n * 784, rng), gzip);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            writeIdx(dir.resolve(split[0] + "-labels-idx1-ubyte" + gz), new int[] {n}, labels, gzip);
        }
    }

    /** One CIFAR binary record per label: label byte(s) then 3072 pixel bytes, pixel k of record r = (r·7 + k) mod 256. */
    public static byte[] cifarRecords(int[][] labelBytes, int firstRecord) {
        int labelCount = labelBytes[0].length;
        byte[] out = new byte[labelBytes.length * (labelCount + 3072)];
        int at = 0;
        for (int r = 0; r < labelBytes.length; r++) {
            for (int l : labelBytes[r]) {
                out[at++] = (byte) l;
            }
            for (int k = 0; k < 3072; k++) {
                out[at++] = (byte) ((firstRecord + r) * 7 + k);
            }
        }
        return out;
    }

    /** A binary PPM (P6, maxval 255) of {@code width} x {@code height} from interleaved RGB bytes. */
    public static byte[] ppm(int width, int height, byte[] rgb) {
        byte[] header = ("P6\n# written by a test\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + rgb.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(rgb, 0, out, header.length, rgb.length);
        return out;
    }

    /** Interleaved RGB of a solid colour. */
    public static byte[] solid(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[3 * width * height];
        for (int i = 0; i < width * height; i++) {
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return rgb;
    }

    /** Writes a GTSRB CSV: header, then one row per entry of {@code rows} (already ';'-joined). */
    public static Path writeCsv(Path file, List<String> rows) throws IOException {
        StringBuilder sb = new StringBuilder("Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\r\n");
        rows.forEach(row -> sb.append(row).append("\r\n"));
        Files.createDirectories(file.getParent());
        return Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
    }

    /** Random bytes from {@code rng}. */
    public static byte[] randomBytes(int n, SplittableRandom rng) {
        byte[] out = new byte[n];
        rng.nextBytes(out);
        return out;
    }

    /** A dataset of {@code n} random images of C x H x W with labels i mod classes. */
    public static Dataset randomDataset(int n, int c, int h, int w, int classes, long seed) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return Dataset.of("random", randomBytes(n * c * h * w, new SplittableRandom(seed)), labels, c, h, w,
                Dataset.numberedClasses(classes));
    }
}
