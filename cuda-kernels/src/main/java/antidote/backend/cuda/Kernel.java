package antidote.backend.cuda;

import antidote.core.DType;

import java.util.Arrays;
import java.util.List;

/**
 * Every kernel the backend launches: the PTX module (a {@code .cu} file of {@code src/main/cuda}) and the
 * function's base name. Each exists as {@code <base>_f32} and {@code <base>_f64}; PtxBuildTest checks that
 * every one is in the compiled PTX.
 */
enum Kernel {
    FILL("elementwise", "fill"),
    /** Named after the target dtype: cast_f32 reads float64, cast_f64 reads float32. */
    CAST("elementwise", "cast"),
    UNARY("elementwise", "unary"),
    BINARY("elementwise", "binary"),
    WHERE("elementwise", "where"),
    GATHER("movement", "gather"),
    SCATTER("movement", "scatter"),
    TAKE("movement", "take"),
    SCATTER_ADD("movement", "scatter_add"),
    SUM_BLOCKS("reduce", "sum_blocks"),
    SUM_SERIAL("reduce", "sum_serial"),
    ARGMAX_BLOCKS("reduce", "argmax_blocks"),
    ARGMAX_SERIAL("reduce", "argmax_serial"),
    LOG_SOFTMAX("reduce", "log_softmax"),
    MATMUL("gemm", "matmul"),
    CONV2D_FORWARD("conv", "conv2d_forward"),
    CONV2D_BACKWARD_INPUT("conv", "conv2d_backward_input"),
    CONV2D_BACKWARD_FILTER("conv", "conv2d_backward_filter"),
    MAX_POOL2D_ARGMAX("pool", "max_pool2d_argmax");

    /** Threads per block of 1-D launches. */
    static final int THREADS = 256;
    /** Threads per block of the block-per-output kernels; REDUCE_BLOCK in common.cuh. */
    static final int REDUCE_BLOCK = 256;
    /** Tile edge of the matmul kernel; TILE in gemm.cu. */
    static final int TILE = 16;

    final String module;
    private final String baseName;

    Kernel(String module, String baseName) {
        this.module = module;
        this.baseName = baseName;
    }

    /** The PTX function name for {@code dtype}. */
    String symbol(DType dtype) {
        return baseName + switch (dtype) {
            case FLOAT32 -> "_f32";
            case FLOAT64 -> "_f64";
        };
    }

    /** The PTX modules, each loaded once per device. */
    static List<String> modules() {
        return Arrays.stream(values()).map(k -> k.module).distinct().toList();
    }
}
