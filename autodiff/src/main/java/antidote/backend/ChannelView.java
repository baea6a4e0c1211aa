package antidote.backend;

/**
 * How a tensor of rank >= 2 splits into channels (axis 1) for batch normalisation: the keepdim shape
 * [1, C, 1, ..] that per-channel values broadcast from, the axes reduced, and the values per channel.
 */
record ChannelView(int channels, int perChannel, int[] kept, boolean[] reduced) {

    static ChannelView of(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("batch norm needs a tensor of rank >= 2 with channels on axis 1, got "
                    + java.util.Arrays.toString(shape));
        }
        int[] kept = new int[shape.length];
        boolean[] reduced = new boolean[shape.length];
        int perChannel = 1;
        for (int a = 0; a < shape.length; a++) {
            reduced[a] = a != 1;
            kept[a] = a == 1 ? shape[1] : 1;
            perChannel *= a == 1 ? 1 : shape[a];
        }
        return new ChannelView(shape[1], perChannel, kept, reduced);
    }

    /** Row {@code row} (0: means, 1: variances) of a [2, C] moments storage, C elements. */
    Storage row(Backend backend, Storage moments, int row) {
        return row(backend, moments, 2, row);
    }

    /** Row {@code row} of a [rows, C] storage of per-channel values, C elements. */
    Storage row(Backend backend, Storage perChannel, int rows, int row) {
        return backend.slice(perChannel, new int[] {rows, channels}, new int[] {row, 0}, new int[] {1, channels});
    }

    /** 1/√(variance + eps) per channel, C elements. */
    Storage inverseStd(Backend backend, Storage moments, double eps) {
        int[] one = {1, channels};
        Storage shifted = backend.binary(BinaryOp.ADD, row(backend, moments, 1), one,
                backend.full(moments.dtype(), 1, eps), new int[0], one);
        return backend.unary(UnaryOp.POW, shifted, -0.5);
    }
}
