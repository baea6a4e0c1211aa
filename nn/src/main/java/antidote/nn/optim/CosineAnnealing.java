package antidote.nn.optim;

/**
 * Cosine annealing without restarts (Loshchilov and Hutter, 2017, "SGDR", eq. 5), PyTorch's
 * {@code CosineAnnealingLR}: after t calls to {@link #step}, lr = η_min + (lr₀ − η_min)(1 + cos(πt/T_max))/2,
 * where lr₀ is the optimizer's learning rate when the schedule is made. Past T_max the cosine continues
 * (rising again), as in PyTorch. Call {@link #step} once per epoch, after that epoch's optimizer steps.
 */
public final class CosineAnnealing {
    private final Optimizer optimizer;
    private final double baseLr;
    private final int tMax;
    private final double etaMin;
    private int epoch;

    public CosineAnnealing(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealing: tMax must be >= 1, got " + tMax);
        }
        this.optimizer = optimizer;
        this.baseLr = optimizer.learningRate();
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    /** Advances one epoch and sets the optimizer's learning rate for the next one. */
    public void step() {
        epoch++;
        optimizer.setLearningRate(etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2);
    }

    /** The number of {@link #step} calls so far. */
    public int epoch() {
        return epoch;
    }
}
