package antidote.data.format;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** File helpers shared by the readers: existence checks with a fix, gzip detection, and exact reads. */
final class DataFiles {
    /** The largest array a reader will allocate (Java arrays are indexed by int). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int BUFFER = 1 << 16;

    private DataFiles() {
    }

    /** Fails with the file name and {@code fix} unless {@code file} is a readable regular file. */
    static void requireFile(Path file, String fix) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing. " + fix);
        }
    }

    /** Whether {@code file} starts with the gzip magic bytes 1f 8b (whatever its name). */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The gzip trailer's ISIZE field: the uncompressed size modulo 2^32 of the (last) member. */
    static long gzipUncompressedSize(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (raf.length() < 18) {
                throw new MalformedDataException(file, "", "only " + raf.length()
                        + " bytes, too short for a gzip file", "The file is truncated; download it again");
            }
            raf.seek(raf.length() - 4);
            long b0 = raf.read();
            long b1 = raf.read();
            long b2 = raf.read();
            long b3 = raf.read();
            return b0 | b1 << 8 | b2 << 16 | b3 << 24;
        }
    }

    /** The uncompressed size of a gzip file of any number of members, found by decompressing it. */
    static long gzipStreamedSize(Path file) throws IOException {
        try (InputStream in = open(file, true)) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (EOFException | ZipException e) {
            throw new MalformedDataException(file, "", "the compressed data is cut short or corrupt (" + e.getMessage()
                    + ")", "The file is truncated or damaged; download it again");
        }
    }

    /** Opens {@code file} for reading, decompressing it on the fly when it is gzipped. */
    static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        return gzip ? new GZIPInputStream(raw, BUFFER) : raw;
    }

    /** Reads exactly {@code dst.length} bytes, which start at byte {@code offset} of the (uncompressed) file. */
    static void readFully(InputStream in, byte[] dst, Path file, long offset, String what) throws IOException {
        int got;
        try {
            got = in.readNBytes(dst, 0, dst.length);
        } catch (EOFException | ZipException e) {
            throw new MalformedDataException(file, "byte " + offset, "the compressed data is cut short or corrupt while reading "
                    + what + " (" + e.getMessage() + ")", "The file is truncated or damaged; download it again");
        }
        if (got < dst.length) {
            throw new MalformedDataException(file, "byte " + (offset + got), "the file ends after " + (offset + got)
                    + " bytes, but " + what + " needs " + (offset + dst.length),
                    "The file is truncated; download it again");
        }
    }

    /** Fails unless {@code in} has no bytes left (the header's dimensions must account for the whole file). */
    static void requireEnd(InputStream in, Path file, long offset, String layout) throws IOException {
        int extra;
        try {
            extra = in.read();
        } catch (EOFException | ZipException e) {
            throw new MalformedDataException(file, "byte " + offset, "the compressed data ends badly ("
                    + e.getMessage() + ")", "The file is damaged; download it again");
        }
        if (extra >= 0) {
            throw new MalformedDataException(file, "byte " + offset, "more data follows the " + offset + " bytes that "
                    + layout + " accounts for",
                    "The dimension fields disagree with the file size: this is not a valid file of this format");
        }
    }
}
