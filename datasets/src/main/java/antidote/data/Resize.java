package antidote.data;

/**
 * Bilinear resizing of C·H·W uint8 images, with the conventions of PIL's {@code BILINEAR} filter (which
 * torchvision's {@code Resize} uses): pixel centres at half-integers, and when shrinking, the triangle filter
 * is widened by the shrink factor so every source pixel contributes (no aliasing). When enlarging it is plain
 * bilinear interpolation; the same size is an exact copy.
 */
public final class Resize {
    /** The largest side accepted for a resized image. */
    public static final int MAX_SIDE = 4096;

    private Resize() {
    }

    /** Resizes {@code chw} ({@code channels} planes of srcH x srcW) to dstH x dstW. */
    public static byte[] bilinear(byte[] chw, int channels, int srcH, int srcW, int dstH, int dstW) {
        checkSide(dstH);
        checkSide(dstW);
        if (chw.length != (long) channels * srcH * srcW) {
            throw new IllegalArgumentException(chw.length + " bytes are not " + channels + " planes of " + srcH + "x" + srcW);
        }
        if (srcH == dstH && srcW == dstW) {
            return chw.clone();
        }
        Filter across = Filter.of(srcW, dstW);
        Filter down = Filter.of(srcH, dstH);
        byte[] out = new byte[channels * dstH * dstW];
        float[] rows = new float[srcH * dstW];
        for (int c = 0; c < channels; c++) {
            int plane = c * srcH * srcW;
            for (int y = 0; y < srcH; y++) {
                for (int x = 0; x < dstW; x++) {
                    float sum = 0;
                    for (int k = 0; k < across.count[x]; k++) {
                        sum += across.weights[x][k] * (chw[plane + y * srcW + across.first[x] + k] & 0xFF);
                    }
                    rows[y * dstW + x] = sum;
                }
            }
            int outPlane = c * dstH * dstW;
            for (int y = 0; y < dstH; y++) {
                for (int x = 0; x < dstW; x++) {
                    float sum = 0;
                    for (int k = 0; k < down.count[y]; k++) {
                        sum += down.weights[y][k] * rows[(down.first[y] + k) * dstW + x];
                    }
                    out[outPlane + y * dstW + x] = (byte) Math.max(0, Math.min(255, Math.round(sum)));
                }
            }
        }
        return out;
    }

    private static void checkSide(int side) {
        if (side < 1 || side > MAX_SIDE) {
            throw new IllegalArgumentException("a resized image side must be in [1, " + MAX_SIDE + "], got " + side);
        }
    }

    /** For each output index along one axis: the first source index and the normalised weights that follow it. */
    private record Filter(int[] first, int[] count, float[][] weights) {
        static Filter of(int src, int dst) {
            double scale = (double) src / dst;
            double width = Math.max(1, scale); // the triangle's half-width in source pixels
            int[] first = new int[dst];
            int[] count = new int[dst];
            float[][] weights = new float[dst][];
            for (int o = 0; o < dst; o++) {
                double center = (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - width));
                int hi = Math.min(src, (int) Math.ceil(center + width));
                double[] w = new double[hi - lo];
                double total = 0;
                for (int j = lo; j < hi; j++) {
                    w[j - lo] = Math.max(0, 1 - Math.abs((j + 0.5 - center) / width));
                    total += w[j - lo];
                }
                weights[o] = new float[w.length];
                for (int k = 0; k < w.length; k++) {
                    weights[o][k] = (float) (w[k] / total);
                }
                first[o] = lo;
                count[o] = w.length;
            }
            return new Filter(first, count, weights);
        }
    }
}
