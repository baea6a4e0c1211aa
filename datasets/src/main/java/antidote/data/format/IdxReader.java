package antidote.data.format;

import antidote.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type byte (0x08 = unsigned
 * byte), a rank byte, one big-endian int32 per dimension, then the values. Gzipped files are recognised by
 * their content, not their name. Sizes are checked against the file, or against the gzip trailer's size field
 * (single-member gzip, as published), before allocating.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_RANK = 8;

    private IdxReader() {
    }

    /** Reads one unsigned-byte IDX file, gzipped or not. */
    public static IdxArray read(Path file) throws IOException {
        DataFiles.requireFile(file, "Check the path, or download the dataset again");
        boolean gzip = DataFiles.isGzip(file);
        try (InputStream in = DataFiles.open(file, gzip)) {
            byte[] magic = new byte[4];
            DataFiles.readFully(in, magic, file, 0, "the 4-byte IDX magic number");
            int type = magic[2] & 0xFF;
            int rank = magic[3] & 0xFF;
            if (magic[0] != 0 || magic[1] != 0 || rank == 0 || rank > MAX_RANK) {
                throw new MalformedDataException(file, "byte 0", "bad IDX magic number " + hex(magic)
                        + " (expected 00 00 08 0N with rank N in 1.." + MAX_RANK + ")",
                        "This is not an IDX file: check that you picked the images/labels file, not an archive or an HTML page");
            }
            if (type != UNSIGNED_BYTE) {
                throw new MalformedDataException(file, "byte 2", "IDX value type 0x" + Integer.toHexString(type)
                        + " is not supported (only 0x08, unsigned byte, as in MNIST and Fashion-MNIST)",
                        "Convert the file to unsigned bytes, or use the official MNIST/Fashion-MNIST files");
            }
            byte[] header = new byte[4 * rank];
            DataFiles.readFully(in, header, file, 4, "the " + rank + " dimension fields");
            int[] dims = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                long dim = readInt(header, 4 * d) & 0xFFFFFFFFL;
                if (dim > DataFiles.MAX_ARRAY) {
                    throw new MalformedDataException(file, "byte " + (4 + 4 * d), "dimension " + d + " is " + dim,
                            "The header is corrupt; download the file again");
                }
                dims[d] = (int) dim;
                count *= dim;
                if (count > DataFiles.MAX_ARRAY) {
                    throw new MalformedDataException(file, "byte 4", "dimensions " + dimsText(header, rank)
                            + " describe more than " + DataFiles.MAX_ARRAY + " values",
                            "The header is corrupt or the file is too large for this reader; download it again");
                }
            }
            long headerBytes = 4 + 4L * rank;
            long total = headerBytes + count;
            checkSize(file, gzip, dims, total);
            byte[] data = new byte[(int) count];
            DataFiles.readFully(in, data, file, headerBytes, "the " + count + " values of dimensions "
                    + Arrays.toString(dims));
            DataFiles.requireEnd(in, file, total, "the header's dimensions " + Arrays.toString(dims));
            return new IdxArray(dims, data);
        }
    }

    /**
     * Reads a pair of image and label files (rank 3: N x H x W, and rank 1: N) into a one-channel dataset,
     * checking that the counts agree and that every label is below {@code classNames.size()}.
     */
    public static Dataset readDataset(String name, Path images, Path labels, List<String> classNames) throws IOException {
        IdxArray labelArray = read(labels);
        if (labelArray.dims().length != 1) {
            throw new MalformedDataException(labels, "byte 3", "a label file must have rank 1, this one has dimensions "
                    + Arrays.toString(labelArray.dims()), "Check that the images and labels files are not swapped");
        }
        IdxArray imageArray = read(images);
        int[] dims = imageArray.dims();
        if (dims.length != 3) {
            throw new MalformedDataException(images, "byte 3", "an image file must have rank 3 (N x H x W), this one has "
                    + "dimensions " + Arrays.toString(dims), "Check that the images and labels files are not swapped");
        }
        if (dims[1] == 0 || dims[2] == 0) {
            throw new MalformedDataException(images, "byte 8", "images of " + dims[1] + " x " + dims[2] + " pixels",
                    "The header is corrupt; download the file again");
        }
        if (dims[0] != labelArray.dims()[0]) {
            throw new MalformedDataException(images, "byte 4", dims[0] + " images but " + labels + " has "
                    + labelArray.dims()[0] + " labels", "Use the images and labels files of the same split");
        }
        byte[] raw = labelArray.data();
        int[] labelValues = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labelValues[i] = raw[i] & 0xFF;
            if (labelValues[i] >= classNames.size()) {
                throw new MalformedDataException(labels, "byte " + (8 + i), "label " + labelValues[i] + " of sample " + i
                        + " is outside [0, " + classNames.size() + ")",
                        "The file is corrupt or belongs to another dataset; download it again");
            }
        }
        return Dataset.of(name, imageArray.data(), labelValues, 1, dims[1], dims[2], classNames);
    }

    private static void checkSize(Path file, boolean gzip, int[] dims, long total) throws IOException {
        if (gzip) {
            // The trailer gives the size of the last gzip member only: a file of several members (valid gzip, as
            // written by concatenation or pigz) is measured by decompressing it, still before any allocation.
            long trailer = DataFiles.gzipUncompressedSize(file);
            long size = trailer == (total & 0xFFFFFFFFL) ? total : DataFiles.gzipStreamedSize(file);
            if (size != total) {
                throw new MalformedDataException(file, "", "the file decompresses to " + size + " bytes, but the "
                        + "header's dimensions " + Arrays.toString(dims) + " need " + total,
                        "The file is truncated or corrupt, or its dimension fields are wrong; download it again");
            }
        } else {
            long size = Files.size(file);
            if (size != total) {
                throw new MalformedDataException(file, size < total ? "byte " + size : "", "the file has " + size
                        + " bytes, but the header's dimensions " + Arrays.toString(dims) + " need exactly " + total,
                        size < total ? "The file is truncated; download it again"
                                : "The dimension fields disagree with the file size; download the file again");
            }
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String dimsText(byte[] header, int rank) {
        long[] dims = new long[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = readInt(header, 4 * d) & 0xFFFFFFFFL;
        }
        return Arrays.toString(dims);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
