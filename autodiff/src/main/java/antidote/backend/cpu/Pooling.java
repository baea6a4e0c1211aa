package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

import static antidote.backend.cpu.Checks.requireSize;

/** Max-pooling's argmax: a float32 path on the arrays, and its plain float64 twin. */
final class Pooling {
    private Pooling() {
    }

    /**
     * The flat index of each window's maximum in x [N,C,H,W], planes split between threads: padding never
     * wins, the first maximum in row-major window order wins ties, and a NaN wins and stays.
     */
    static int[] maxArgMax(Parallel parallel, CpuStorage s, int[] xShape, int kernelH, int kernelW,
                           ConvGeometry geometry) {
        requireSize(s, xShape, "x");
        int h = xShape[2];
        int w = xShape[3];
        int outH = geometry.outH(h, kernelH);
        int outW = geometry.outW(w, kernelW);
        int[] out = new int[xShape[0] * xShape[1] * outH * outW];
        if (s instanceof CpuStorage.F32 f) {
            parallel.forRange(xShape[0] * xShape[1], (long) outH * outW * kernelH * kernelW,
                    (from, to) -> maxArgMax(f.data(), h, w, kernelH, kernelW, geometry, out, from, to));
            return out;
        }
        parallel.forRange(xShape[0] * xShape[1], (long) outH * outW * kernelH * kernelW, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                for (int y = 0; y < outH; y++) {
                    for (int x0 = 0; x0 < outW; x0++) {
                        int best = -1;
                        double bestValue = Double.NaN;
                        // Row-major window order with strictly greater: the first maximum wins.
                        for (int i = 0; i < kernelH; i++) {
                            int ih = y * geometry.strideH() - geometry.padH() + i;
                            for (int j = 0; j < kernelW; j++) {
                                int iw = x0 * geometry.strideW() - geometry.padW() + j;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                    continue;
                                }
                                int at = (plane * h + ih) * w + iw;
                                double v = s.get(at);
                                // Strictly greater keeps the first maximum; a NaN wins and stays, as in argMax.
                                if (best < 0 || (!Double.isNaN(bestValue) && (v > bestValue || Double.isNaN(v)))) {
                                    best = at;
                                    bestValue = v;
                                }
                            }
                        }
                        out[(plane * outH + y) * outW + x0] = best;
                    }
                }
            }
        });
        return out;
    }

    /**
     * For planes [from, to) of an [N·C, H, W] input, the flat index of each window's maximum: padding never
     * wins, the first maximum in row-major window order wins ties, and a NaN wins and stays.
     */
    private static void maxArgMax(float[] x, int h, int w, int kernelH, int kernelW, ConvGeometry g, int[] out,
                                  int from, int to) {
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
                            int wins = winsMask(v, bestValue);
                            best = (at & wins) | (best & ~wins);
                            bestValue = select(wins, v, bestValue);
                        }
                    }
                    out[o] = best;
                }
            }
        }
    }

    /**
     * The 2x2 stride-2 windows of SmallVgg and PreActResNet as a branch-free tournament: the winner of the top
     * pair against the winner of the bottom pair, the earlier one winning ties, which picks the same index as
     * the row-major scan. Selections are done with -1/0 masks: as ternaries C2 compiled them to branches that
     * mispredicted on real activations (13 ns per output against 5 ns).
     */
    private static void twoByTwo(float[] x, int h, int w, int outH, int outW, int[] out, int from, int to) {
        for (int plane = from; plane < to; plane++) {
            int o = plane * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x0 = 0, at = plane * h * w + 2 * y * w; x0 < outW; x0++, o++, at += 2) {
                    float topLeft = x[at];
                    float topRight = x[at + 1];
                    float bottomLeft = x[at + w];
                    float bottomRight = x[at + w + 1];
                    int rightWins = winsMask(topRight, topLeft);
                    float top = select(rightWins, topRight, topLeft);
                    int bottomRightWins = winsMask(bottomRight, bottomLeft);
                    float bottom = select(bottomRightWins, bottomRight, bottomLeft);
                    int bottomWins = winsMask(bottom, top);
                    out[o] = ((at + w + (bottomRightWins & 1)) & bottomWins) | ((at + (rightWins & 1)) & ~bottomWins);
                }
            }
        }
    }

    /**
     * -1 when {@code v} replaces the window's maximum so far {@code best}, else 0: strictly greater keeps the
     * first maximum; a NaN wins and then stays (best == best fails from then on).
     */
    private static int winsMask(float v, float best) {
        int greater = v > best ? -1 : 0;
        int nan = v != v ? -1 : 0;
        int bestIsNumber = best == best ? -1 : 0;
        return (greater | nan) & bestIsNumber;
    }

    /** {@code mask == -1 ? a : b} on the bits. */
    private static float select(int mask, float a, float b) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(a) & mask) | (Float.floatToRawIntBits(b) & ~mask));
    }
}
