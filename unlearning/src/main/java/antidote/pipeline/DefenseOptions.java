package antidote.pipeline;

import antidote.defense.ibau.IbauSettings;

/**
 * What a user may change about a defense from the command line; a zero keeps the defense's own default.
 *
 * @param rounds I-BAU and naive-UAP rounds, SAU and fine-tuning epochs (0: I-BAU 1, SAU 100, fine-tuning 5)
 * @param lr     the learning rate of the model update: I-BAU's outer Adam, SAU's Adam, fine-tuning's Adam
 *               (0: I-BAU 1e-3, SAU 1e-4 as in BackdoorBench, fine-tuning 1e-3)
 * @param seed   seeds batch order and every random choice of the defense
 * @param ibau   the I-BAU variant (reference code or paper) and its solver, used by ibau and naive-uap
 */
public record DefenseOptions(int rounds, double lr, long seed, IbauSettings ibau) {

    public DefenseOptions {
        if (rounds < 0 || lr < 0 || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("--rounds and --lr must be >= 0 (0 keeps the default); got rounds "
                    + rounds + ", lr " + lr);
        }
    }

    /** The defense's own defaults with the reference code's I-BAU. */
    public static DefenseOptions defaults(int rounds, long seed) {
        return new DefenseOptions(rounds, 0, seed, IbauSettings.referenceCode());
    }

    public DefenseOptions withSeed(long s) {
        return new DefenseOptions(rounds, lr, s, ibau);
    }
}
