package antidote.backend.cuda;

import antidote.backend.ConvGeometry;

/**
 * The sizes of one convolution or pooling over NCHW data: the host half of the {@code ConvShape} struct in
 * common.cuh (the field order is the struct's).
 */
record ConvShape(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow, ConvGeometry g) {

    /** Input {@code xShape} [N,C,H,W], {@code f} output channels, a {@code kh}×{@code kw} window. */
    static ConvShape of(int[] xShape, int f, int kh, int kw, ConvGeometry g) {
        return new ConvShape(xShape[0], xShape[1], xShape[2], xShape[3], f, kh, kw, g.outH(xShape[2], kh),
                g.outW(xShape[3], kw), g);
    }

    /** Elements of the output [N,F,OH,OW]. */
    long outputSize() {
        return (long) n * f * oh * ow;
    }

    int[] pack() {
        return new int[]{n, c, h, w, f, kh, kw, oh, ow, g.strideH(), g.strideW(), g.padH(), g.padW()};
    }
}
