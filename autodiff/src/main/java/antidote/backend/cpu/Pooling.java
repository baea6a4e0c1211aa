package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/** Float32 max-pooling argmax on the arrays; the float64 path in {@link CpuBackend} is its plain twin. */
final class Pooling {
    private Pooling() {
    }

    /**
     * For planes [from, to) of an [N·C, H, W] input, the flat index of each window's maximum: padding never
     * wins, the first maximum in row-major window order wins ties, and a NaN wins and stays.
     */
    static void maxArgMax(float[] x, int h, int w, int kernelH, int kernelW, ConvGeometry g, int[] out, int from,
                          int to) {
        int outH = g.outH(h, kernelH);
        int outW = g.outW(w, kernelW);
        if (kernelH == 2 && kernelW == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0) {
            twoByTwo(x, h, w, outH, outW, out, from, to);
            return;
        }
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            int o = plane * outH * outW;
            for (int y = 0; y < outH; y++) {
                int top = y * g.strideH() - g.padH();
                int i0 = Math.max(0, -top);
                int i1 = Math.min(kernelH, h - top);
                for (int x0 = 0; x0 < outW; x0++, o++) {
                    int left = x0 * g.strideW() - g.padW();
                    int j0 = Math.max(0, -left);
                    int j1 = Math.min(kernelW, w - left);
                    int best = base + (top + i0) * w + left + j0;
                    float bestValue = x[best];
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0, at = base + (top + i) * w + left + j0; j < j1; j++, at++) {
                            float v = x[at];
                            boolean wins = wins(v, bestValue);
                            best = wins ? at : best;
                            bestValue = wins ? v : bestValue;
                        }
                    }
                    out[o] = best;
                }
            }
        }
    }

    /**
     * The 2x2 stride-2 windows of SmallVgg and PreActResNet, without the general loop's bounds and trip counts.
     * The four values are loaded up front, so the selection chain runs on registers (re-reading x[best] after
     * each step made it a chain of dependent loads: 12% of an eval forward).
     */
    private static void twoByTwo(float[] x, int h, int w, int outH, int outW, int[] out, int from, int to) {
        for (int plane = from; plane < to; plane++) {
            int o = plane * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x0 = 0, at = plane * h * w + 2 * y * w; x0 < outW; x0++, o++, at += 2) {
                    float v0 = x[at];
                    float v1 = x[at + 1];
                    float v2 = x[at + w];
                    float v3 = x[at + w + 1];
                    boolean wins = wins(v1, v0);
                    int best = wins ? at + 1 : at;
                    float bestValue = wins ? v1 : v0;
                    wins = wins(v2, bestValue);
                    best = wins ? at + w : best;
                    bestValue = wins ? v2 : bestValue;
                    out[o] = wins(v3, bestValue) ? at + w + 1 : best;
                }
            }
        }
    }

    /**
     * Whether {@code v} replaces the window's maximum so far {@code best}: strictly greater keeps the first
     * maximum; a NaN wins and then stays (best == best fails from then on). Non-short-circuit & and |, so
     * that there are no branches for C2 to lay out and the selects become cmovs (with && and || the random
     * comparisons of real activations mispredicted about half the time).
     */
    private static boolean wins(float v, float best) {
        return (v > best | v != v) & best == best;
    }
}
