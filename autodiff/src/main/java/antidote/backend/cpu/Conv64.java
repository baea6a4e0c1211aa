package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/**
 * Float64 convolutions as direct loops over the window, summed in the same order as the reference backend.
 * Float64 exists for gradient checks, so these favour plainness over speed; float32 goes through
 * {@link Im2col} and {@link Gemm}.
 */
final class Conv64 {
    private final int n;
    private final int channels;
    private final int h;
    private final int w;
    private final int filters;
    private final int kh;
    private final int kw;
    private final int outH;
    private final int outW;
    private final ConvGeometry g;

    Conv64(int[] xShape, int[] wShape, ConvGeometry g) {
        this.n = xShape[0];
        this.channels = xShape[1];
        this.h = xShape[2];
        this.w = xShape[3];
        this.filters = wShape[0];
        this.kh = wShape[2];
        this.kw = wShape[3];
        this.outH = g.outH(h, kh);
        this.outW = g.outW(w, kw);
        this.g = g;
    }

    /** Calls {@code visit(xIndex, wIndex, outIndex)} for every tap of every output element in [from, to). */
    private void forEachTap(int from, int to, Tap visit) {
        for (int o = from; o < to; o++) {
            int ox = o % outW;
            int oy = o / outW % outH;
            int f = o / (outW * outH) % filters;
            int image = o / (outW * outH * filters);
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kh; i++) {
                    int ih = oy * g.strideH() - g.padH() + i;
                    for (int j = 0; j < kw; j++) {
                        int iw = ox * g.strideW() - g.padW() + j;
                        if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                            visit.at(((image * channels + c) * h + ih) * w + iw, ((f * channels + c) * kh + i) * kw + j, o);
                        }
                    }
                }
            }
        }
    }

    @FunctionalInterface
    private interface Tap {
        void at(int xIndex, int wIndex, int outIndex);
    }

    /** Output elements: N·F·OH·OW. */
    int outputs() {
        return n * filters * outH * outW;
    }

    /** conv2d for outputs [from, to). */
    void forward(double[] x, double[] wt, double[] out, int from, int to) {
        forEachTap(from, to, (xi, wi, o) -> out[o] += x[xi] * wt[wi]);
    }

    /** Sequential: input gradient, out[x] += grad[o]·w over all taps. */
    void backwardInput(double[] grad, double[] wt, double[] out) {
        forEachTap(0, outputs(), (xi, wi, o) -> out[xi] += grad[o] * wt[wi]);
    }

    /** Sequential: filter gradient, out[w] += x·grad[o] over all taps. */
    void backwardFilter(double[] x, double[] grad, double[] out) {
        forEachTap(0, outputs(), (xi, wi, o) -> out[wi] += x[xi] * grad[o]);
    }
}
