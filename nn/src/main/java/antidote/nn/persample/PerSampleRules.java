package antidote.nn.persample;

import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-sample gradient of each parameter kind, from a layer's input and the gradient of its output, all
 * samples at once and from Tensor operations only. With the batch on axis 0 and g the output gradient:
 * linear dW_n = g_n ⊗ x_n and db_n = g_n; convolution dW_n = g_n · unfold(x_n)ᵀ (the im2col matrix of each
 * image, L output positions by C·k·k taps) and db_n = Σ_positions g_n; a per-channel affine y = x̂·w + b over
 * fixed statistics dw_n = Σ_positions g_n·x̂_n and db_n = Σ_positions g_n.
 */
public final class PerSampleRules {
    private PerSampleRules() {
    }

    /** Weight [N, out, in] and, when {@code withBias}, bias [N, out] of y = x·Wᵀ + b for x [N, in]. */
    public static List<Tensor> linear(Tensor input, Tensor gradOutput, boolean withBias) {
        int n = input.dim(0);
        Tensor weight = gradOutput.reshape(n, gradOutput.dim(1), 1).matmul(input.reshape(n, 1, input.dim(1)));
        return withBias ? List.of(weight, gradOutput) : List.of(weight);
    }

    /**
     * Weight [N, F, C, k, k] and, when {@code withBias}, bias [N, F] of a square-kernel convolution with equal
     * stride and zero padding on both axes, for input [N, C, H, W] and output gradient [N, F, OH, OW].
     */
    public static List<Tensor> conv2d(Tensor input, Tensor gradOutput, int kernel, int stride, int padding,
                                      boolean withBias) {
        int n = input.dim(0);
        int filters = gradOutput.dim(1);
        int positions = gradOutput.dim(2) * gradOutput.dim(3);
        Tensor columns = unfold(input, kernel, stride, padding, gradOutput.dim(2), gradOutput.dim(3));
        int taps = columns.dim(1);
        Tensor g = gradOutput.reshape(n, filters, positions);
        // dW_n = g_n·columns_nᵀ needs one operand transposed (a copy): either the columns (C·k·k x L), or the
        // output gradient (F x L) and then the product (C·k·k x F), whichever moves fewer elements.
        Tensor weight = (long) taps * positions <= (long) filters * (positions + taps)
                ? g.matmul(columns.transpose(1, 2))
                : columns.matmul(g.transpose(1, 2)).transpose(1, 2);
        weight = weight.reshape(n, filters, input.dim(1), kernel, kernel);
        return withBias ? List.of(weight, g.sum(false, 2)) : List.of(weight);
    }

    /** Scale [N, C] and shift [N, C] of y = normalized·scale + shift per channel (axis 1). */
    public static List<Tensor> channelAffine(Tensor normalized, Tensor gradOutput) {
        int[] positions = spatialAxes(gradOutput);
        return List.of(gradOutput.mul(normalized).sum(false, positions), gradOutput.sum(false, positions));
    }

    /**
     * The im2col matrix of every image: [N, C·k·k, OH·OW], row c·k·k + i·k + j holding tap (i, j) of channel c
     * at each output position, the layout of a [F, C, k, k] filter flattened. Each tap is a slice of the padded
     * input; a stride s is taken by reshaping s·OH rows into [OH, s] and keeping index 0.
     */
    static Tensor unfold(Tensor input, int kernel, int stride, int padding, int outH, int outW) {
        int n = input.dim(0);
        int channels = input.dim(1);
        // Each tap's slice spans stride·out rows from offset i ≤ k−1; pad the far side when the input is shorter.
        int extraH = Math.max(0, kernel - 1 + stride * outH - (input.dim(2) + 2 * padding));
        int extraW = Math.max(0, kernel - 1 + stride * outW - (input.dim(3) + 2 * padding));
        Tensor padded = padding == 0 && extraH == 0 && extraW == 0 ? input
                : input.pad(new int[] {0, 0, padding, padding},
                        new int[] {0, 0, padding + extraH, padding + extraW}, 0);
        List<Tensor> taps = new ArrayList<>(kernel * kernel);
        for (int i = 0; i < kernel; i++) {
            for (int j = 0; j < kernel; j++) {
                Tensor tap = padded.slice(new int[] {0, 0, i, j}, new int[] {n, channels, stride * outH, stride * outW});
                if (stride > 1) {
                    tap = tap.reshape(n, channels, outH, stride, outW, stride)
                            .slice(new int[6], new int[] {n, channels, outH, 1, outW, 1});
                }
                taps.add(tap.reshape(n, channels, 1, outH * outW));
            }
        }
        Tensor joined = taps.size() == 1 ? taps.get(0) : Tensor.concat(2, taps);
        return joined.reshape(n, channels * kernel * kernel, outH * outW);
    }

    private static int[] spatialAxes(Tensor t) {
        int[] axes = new int[t.rank() - 2];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = a + 2;
        }
        return axes;
    }
}
