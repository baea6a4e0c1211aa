package antidote.op;

/**
 * Every primitive op of the registry. Each has exactly one {@link Op} implementation with its rule;
 * the gradient-spec table in the tests must cover every constant (a coverage test enforces it).
 */
public enum Primitive {
    // unary elementwise (UnaryOps)
    NEG, EXP, LOG, SQRT, ABS, POW, RELU, ELU, TANH, SIGMOID,
    // ELU's gradient from its output, fused (UnaryOps)
    ELU_BACKWARD,
    // binary elementwise with broadcasting (BinaryOps)
    ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM,
    // non-differentiable masks (CompareOps)
    COMPARE,
    // selection (SelectOps)
    WHERE, TAKE, SCATTER_ADD,
    // reductions (ReduceOps)
    SUM,
    // movement (MovementOps)
    RESHAPE, PERMUTE, EXPAND, SLICE, PAD, CONCAT, CAST,
    // linear algebra and convolution (LinalgOps, ConvOps)
    MATMUL, CONV2D, CONV2D_BACKWARD_INPUT, CONV2D_BACKWARD_FILTER,
    // fused, numerically stable loss building block (LossOps)
    LOG_SOFTMAX,
    // per-channel moments, x·scale + shift (evaluation-mode batch norm) and dot product, one pass each (ChannelOps)
    CHANNEL_MOMENTS, CHANNEL_AFFINE, CHANNEL_DOT,
    // training-mode batch normalisation, its input gradient and the sums their rules share, fused (NormOps)
    BATCH_NORM, BATCH_NORM_GRAD_SUMS, BATCH_NORM_BACKWARD, BATCH_NORM_SUMS, BATCH_NORM_COMBINE
}
