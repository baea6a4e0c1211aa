package antidote.bench;

import antidote.data.Batch;
import antidote.defense.SettingsRecord;
import antidote.defense.ibau.Ibau;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.ibau.UniversalPerturbation;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One I-BAU outer iteration on one batch, timed through the defense's own code ({@link UniversalPerturbation#find}
 * and {@link Ibau#unlearnStep}) with the anchor script's {@code IBAUStep.outer_step} settings: 5 SGD steps of lr
 * 0.1 on δ against the true labels with penalty 1e-4, L2 projection to radius 10 at the end, a fixed-point
 * hypergradient with K = 5 and η = 0.1 on the same batch, δ added to 1% of the batch in the outer loss, one Adam
 * step of lr 1e-3. The model stays in training mode, as the script's default {@code --ibau-mode train}.
 */
final class IbauIteration {
    /** The anchor's settings, as changes to I-BAU's reference-code preset. */
    static final IbauSettings ANCHOR = SettingsRecord.with(IbauSettings.referenceCode(), Map.of(
            "inner-passes", 5, "inner-lr", 0.1, "penalty", 1e-4, "ascent-labels", IbauSettings.Labels.TRUE,
            "projection", IbauSettings.Projection.END, "radius", 10.0, "fixed-point-batch",
            IbauSettings.MapBatch.CURRENT, "perturbed-share", 0.01));

    private final Module model;
    private final Adam adam;
    private final Ibau ibau = new Ibau(ANCHOR);
    private final SplittableRandom rng = new SplittableRandom(0);

    IbauIteration(Module model) {
        this.model = model;
        this.adam = new Adam(model.parameters(), ANCHOR.outerLr());
    }

    /** The outer optimizer, whose moments must outlive each step. */
    Adam optimizer() {
        return adam;
    }

    /** The ascent on δ (5 steps on the batch), then one outer step; returns δ. */
    Tensor outerStep(Tensor x, int[] y) {
        model.train();
        int[] s = x.shape().dims();
        Batch batch = new Batch(x.toFloatArray(), y, IntStream.range(0, y.length).toArray(), s[1], s[2], s[3]);
        Tensor delta = UniversalPerturbation.find(model, List.of(batch), ANCHOR, loss -> { });
        ibau.unlearnStep(model, adam, batch, batch, delta, rng);
        return delta;
    }
}
