package antidote.defense.ibau;

/**
 * Every knob of I-BAU with its documented default. Two presets follow DESIGN.md §6: the reference code's
 * behaviour ({@link #referenceCode()}, the default) and the paper's Algorithm 1 ({@link #paper()}).
 *
 * @param rounds               outer rounds R (each: a fresh δ, its inner ascent, one pass of unlearning)
 * @param batchSize            clean images per batch (100)
 * @param radius               C, the L2 radius of δ in [0,1] pixel units (10)
 * @param innerLr              step of the inner ascent on δ (SGD 10; Adam 1.0 on GTSRB)
 * @param innerAdam            use Adam instead of SGD for the inner ascent
 * @param predictedLabels      inner ascent against the model's own predictions (code) or true labels (paper)
 * @param penalty              weight of ‖δ‖² in the inner losses (0.001)
 * @param projectEachStep      project δ onto the ball after every ascent step (paper) or once at the end (code)
 * @param outerFraction        share of each outer batch that gets δ added (0.01 in the code, 1 in the paper)
 * @param fixedPointFirstBatch the fixed-point map uses the first clean batch (code) or the current batch (paper)
 * @param hypergradient        solver, K, η and early-stop tolerance of the implicit hypergradient
 * @param outerLr              Adam learning rate of the model update (0.001)
 * @param seed                 seeds batch order and the choice of perturbed images
 */
public record IbauSettings(int rounds, int batchSize, double radius, double innerLr, boolean innerAdam,
                           boolean predictedLabels, double penalty, boolean projectEachStep, double outerFraction,
                           boolean fixedPointFirstBatch, ImplicitHypergradient.Settings hypergradient,
                           double outerLr, long seed) {

    public IbauSettings {
        if (rounds < 1 || batchSize < 1 || radius <= 0 || innerLr <= 0 || penalty < 0 || outerLr <= 0
                || outerFraction < 0 || outerFraction > 1) {
            throw new IllegalArgumentException("I-BAU settings out of range: rounds and batch size >= 1, radius, "
                    + "learning rates > 0, penalty >= 0, outer fraction in [0, 1]; got " + this);
        }
    }

    /** The reference implementation's behaviour: predicted labels, δ on 1% of each batch, first-batch map. */
    public static IbauSettings referenceCode() {
        return new IbauSettings(1, 100, 10, 10, false, true, 0.001, false, 0.01, true,
                ImplicitHypergradient.Settings.DEFAULT, 0.001, 0);
    }

    /** The paper's Algorithm 1: true labels, a hard L2 bound, δ on every image, the current batch's map. */
    public static IbauSettings paper() {
        return new IbauSettings(1, 100, 10, 10, false, false, 0.001, true, 1.0, false,
                ImplicitHypergradient.Settings.DEFAULT, 0.001, 0);
    }

    public IbauSettings withRounds(int r) {
        return new IbauSettings(r, batchSize, radius, innerLr, innerAdam, predictedLabels, penalty, projectEachStep,
                outerFraction, fixedPointFirstBatch, hypergradient, outerLr, seed);
    }

    public IbauSettings withSeed(long s) {
        return new IbauSettings(rounds, batchSize, radius, innerLr, innerAdam, predictedLabels, penalty,
                projectEachStep, outerFraction, fixedPointFirstBatch, hypergradient, outerLr, s);
    }

    public IbauSettings withHypergradient(ImplicitHypergradient.Settings h) {
        return new IbauSettings(rounds, batchSize, radius, innerLr, innerAdam, predictedLabels, penalty,
                projectEachStep, outerFraction, fixedPointFirstBatch, h, outerLr, seed);
    }

    public IbauSettings withOuterLr(double lr) {
        return new IbauSettings(rounds, batchSize, radius, innerLr, innerAdam, predictedLabels, penalty,
                projectEachStep, outerFraction, fixedPointFirstBatch, hypergradient, lr, seed);
    }
}
