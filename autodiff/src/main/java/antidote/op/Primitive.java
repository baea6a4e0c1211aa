package antidote.op;

/**
 * Every primitive op of the registry. Each has exactly one {@link Op} implementation with a named VJP;
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
    // training-mode batch normalisation and its input gradient, fused (NormOps)
    BATCH_NORM, BATCH_NORM_BACKWARD,
    // x·scale + shift per channel: evaluation-mode batch normalisation in one pass (NormOps)
    CHANNEL_AFFINE
}
