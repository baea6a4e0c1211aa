package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/**
 * The im2col view of one image [C,H,W] under a convolution window: a [C·KH·KW, OH·OW] matrix whose row
 * (c, kh, kw) holds, for every output position, the input pixel that tap meets (0 in the padding). The
 * mapping is computed once per call as flat offsets into the image, -1 for padding, and then serves both
 * directions: {@link #gather} builds the matrix, {@link #scatterAdd} (col2im) folds a matrix back.
 */
final class Im2col {
    private final int rows;
    private final int cols;
    private final int[] source;

    Im2col(int[] imageShape, int kernelH, int kernelW, ConvGeometry g) {
        int channels = imageShape[1];
        int h = imageShape[2];
        int w = imageShape[3];
        int outH = g.outH(h, kernelH);
        int outW = g.outW(w, kernelW);
        rows = channels * kernelH * kernelW;
        cols = outH * outW;
        source = new int[rows * cols];
        int j = 0;
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < kernelH; kh++) {
                for (int kw = 0; kw < kernelW; kw++) {
                    for (int y = 0; y < outH; y++) {
                        int ih = y * g.strideH() - g.padH() + kh;
                        for (int x = 0; x < outW; x++) {
                            int iw = x * g.strideW() - g.padW() + kw;
                            boolean inside = ih >= 0 && ih < h && iw >= 0 && iw < w;
                            source[j++] = inside ? (c * h + ih) * w + iw : -1;
                        }
                    }
                }
            }
        }
    }

    /** C·KH·KW. */
    int rows() {
        return rows;
    }

    /** OH·OW. */
    int cols() {
        return cols;
    }

    /** Writes the [rows, cols] matrix of the image starting at {@code imageOffset} of {@code x} into {@code col}. */
    void gather(CpuStorage x, int imageOffset, CpuStorage col) {
        for (int j = 0; j < source.length; j++) {
            col.set(j, source[j] < 0 ? 0 : x.get(imageOffset + source[j]));
        }
    }

    /** Writes rows {@code [from, to)} of the matrix, transposed to [cols, to − from], into {@code colT}. */
    void gatherTransposed(CpuStorage x, int imageOffset, int from, int to, CpuStorage colT) {
        int width = to - from;
        for (int r = from; r < to; r++) {
            for (int s = 0; s < cols; s++) {
                int at = source[r * cols + s];
                colT.set(s * width + r - from, at < 0 ? 0 : x.get(imageOffset + at));
            }
        }
    }

    /** col2im: adds each entry of the [rows, cols] matrix {@code col} onto the image pixel it came from. */
    void scatterAdd(CpuStorage col, CpuStorage image, int imageOffset) {
        for (int j = 0; j < source.length; j++) {
            if (source[j] >= 0) {
                int at = imageOffset + source[j];
                image.set(at, image.get(at) + col.get(j));
            }
        }
    }
}
