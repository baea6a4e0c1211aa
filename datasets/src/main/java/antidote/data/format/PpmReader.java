package antidote.data.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads Netpbm colour images: P6 (binary) and P3 (ASCII), any width and height, maxval 1..65535 (two bytes
 * per sample, big-endian, above 255). Header comments ({@code #} to end of line) are skipped. Samples are
 * rescaled to 0..255 as round(v·255/maxval). The raster size is checked against the file before allocating.
 */
public final class PpmReader {
    private static final String FIX = "The image is damaged or not a PPM; re-extract it from the dataset archive";
    private static final int MAX_VALUE = 65535;
    private static final int MAX_SIDE = 1 << 24;

    private PpmReader() {
    }

    /** Reads one PPM file. */
    public static RgbImage read(Path file) throws IOException {
        DataFiles.requireFile(file, "Check the path, or re-extract the dataset archive");
        return decode(Files.readAllBytes(file), file);
    }

    /** Decodes the bytes of a PPM file; {@code file} is only used in error messages. */
    public static RgbImage decode(byte[] bytes, Path file) throws IOException {
        Cursor cursor = new Cursor(bytes, file);
        if (bytes.length < 2 || bytes[0] != 'P' || (bytes[1] != '6' && bytes[1] != '3')) {
            String found = bytes.length < 2 ? "a " + bytes.length + "-byte file" : "magic '" + printable(bytes[0])
                    + printable(bytes[1]) + "'";
            throw new MalformedDataException(file, "byte 0", "expected a PPM starting with P6 or P3, found " + found,
                    bytes.length >= 2 && bytes[0] == 'P' ? "Only colour PPM (P6, P3) is read here; convert the image with "
                            + "'pnmtoplainpnm' or 'convert in.pgm out.ppm'" : FIX);
        }
        boolean binary = bytes[1] == '6';
        cursor.position = 2;
        int width = cursor.headerNumber("width", MAX_SIDE);
        int height = cursor.headerNumber("height", MAX_SIDE);
        int maxval = cursor.headerNumber("maxval", MAX_VALUE);
        long samples = 3L * width * height;
        return binary ? readBinary(cursor, width, height, maxval, samples) : readAscii(cursor, width, height, maxval, samples);
    }

    private static RgbImage readBinary(Cursor cursor, int width, int height, int maxval, long samples) throws IOException {
        byte[] bytes = cursor.bytes;
        if (cursor.position >= bytes.length || !isSpace(bytes[cursor.position])) {
            throw cursor.error("the header must end with one whitespace byte after maxval");
        }
        int start = cursor.position + 1;
        int sampleBytes = maxval > 255 ? 2 : 1;
        long need = samples * sampleBytes;
        long have = bytes.length - start;
        if (need != have) {
            throw new MalformedDataException(cursor.file, "byte " + start, "the header says " + width + "x" + height
                    + " with maxval " + maxval + ", which needs " + need + " raster bytes, but " + have + " follow",
                    have < need ? "The file is truncated. " + FIX : "The dimension fields disagree with the file size. " + FIX);
        }
        byte[] rgb = new byte[(int) samples];
        for (int i = 0; i < rgb.length; i++) {
            int value = sampleBytes == 1 ? bytes[start + i] & 0xFF
                    : (bytes[start + 2 * i] & 0xFF) << 8 | (bytes[start + 2 * i + 1] & 0xFF);
            if (value > maxval) {
                throw new MalformedDataException(cursor.file, "byte " + (start + (long) i * sampleBytes), "sample " + value
                        + " exceeds maxval " + maxval, FIX);
            }
            rgb[i] = scale(value, maxval);
        }
        return new RgbImage(width, height, rgb);
    }

    private static RgbImage readAscii(Cursor cursor, int width, int height, int maxval, long samples) throws IOException {
        // Every sample but the last takes at least two bytes (a digit and a separator).
        long room = (cursor.bytes.length - cursor.position + 1) / 2;
        if (samples > room) {
            throw new MalformedDataException(cursor.file, "byte " + cursor.position, "the header says " + width + "x"
                    + height + ", which needs " + samples + " samples, but the file has room for at most " + room,
                    "The file is truncated or its dimension fields are wrong. " + FIX);
        }
        byte[] rgb = new byte[(int) samples];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = scale(cursor.headerNumber("sample " + i, maxval), maxval);
        }
        cursor.skipSpaceAndComments();
        if (cursor.position < cursor.bytes.length) {
            throw cursor.error("data follows the " + samples + " samples of a " + width + "x" + height
                    + " image: the dimension fields disagree with the file size");
        }
        return new RgbImage(width, height, rgb);
    }

    private static byte scale(int value, int maxval) {
        return (byte) (maxval == 255 ? value : (value * 255 + maxval / 2) / maxval);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f';
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF);
    }

    /** A read position in the file, for the header tokens and the ASCII raster. */
    private static final class Cursor {
        final byte[] bytes;
        final Path file;
        int position;

        Cursor(byte[] bytes, Path file) {
            this.bytes = bytes;
            this.file = file;
        }

        void skipSpaceAndComments() {
            while (position < bytes.length) {
                if (isSpace(bytes[position])) {
                    position++;
                } else if (bytes[position] == '#') {
                    while (position < bytes.length && bytes[position] != '\n' && bytes[position] != '\r') {
                        position++;
                    }
                } else {
                    return;
                }
            }
        }

        /** Reads a decimal number in [0, max] ([1, max] for the header fields) after whitespace and comments. */
        int headerNumber(String what, int max) throws MalformedDataException {
            skipSpaceAndComments();
            int start = position;
            long value = 0;
            while (position < bytes.length && bytes[position] >= '0' && bytes[position] <= '9') {
                value = value * 10 + (bytes[position] - '0');
                position++;
                if (value > max) {
                    throw error(what + " exceeds " + max);
                }
            }
            if (position == start) {
                throw error(position >= bytes.length ? "the file ends before " + what
                        : "expected a number for " + what + ", found '" + printable(bytes[position]) + "'");
            }
            boolean headerField = !what.startsWith("sample");
            if (headerField && value == 0) {
                throw error(what + " is 0 (" + ("maxval".equals(what) ? "must be 1..65535" : "an image needs pixels") + ")");
            }
            if (position < bytes.length && !isSpace(bytes[position]) && bytes[position] != '#') {
                throw error("unexpected '" + printable(bytes[position]) + "' after " + what);
            }
            return (int) value;
        }

        MalformedDataException error(String problem) {
            return new MalformedDataException(file, "byte " + position, "bad PPM header or data: " + problem, FIX);
        }
    }
}
