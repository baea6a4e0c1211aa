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
                            // Strictly greater keeps the first maximum; v != v is a NaN, which wins and then
                            // stays (bestValue == bestValue fails from then on). Branch-free for cmov.
                            boolean wins = (v > bestValue || v != v) && bestValue == bestValue;
                            best = wins ? at : best;
                            bestValue = wins ? v : bestValue;
                        }
                    }
                    out[o] = best;
                }
            }
        }
    }
}
