package antidote.backend;

/**
 * The geometry of a 2-D convolution or pooling window over NCHW data: a stride and a zero padding per
 * spatial axis, the padding applied to both sides. Output size per spatial dimension is {@code (in + 2·padding − kernel) / stride + 1}.
 */
public record ConvGeometry(int strideH, int strideW, int padH, int padW) {

    public ConvGeometry {
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("bad convolution geometry: stride (" + strideH + ", " + strideW
                    + ") must be >= 1 and padding (" + padH + ", " + padW + ") >= 0");
        }
    }

    /** Same stride and padding on both spatial dimensions. */
    public static ConvGeometry of(int stride, int padding) {
        return new ConvGeometry(stride, stride, padding, padding);
    }

    public int outH(int inH, int kernelH) {
        return (inH + 2 * padH - kernelH) / strideH + 1;
    }

    public int outW(int inW, int kernelW) {
        return (inW + 2 * padW - kernelW) / strideW + 1;
    }
}
