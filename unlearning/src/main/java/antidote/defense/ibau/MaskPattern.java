package antidote.defense.ibau;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.defense.trigger.MaskSearch;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.poison.TrainingMemory;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * The mask-pattern family: a universal mask m [1,1,H,W] and pattern p [1,C,H,W], the image (1 − m) ⊙ x + m ⊙ p
 * (Neural Cleanse's trigger, {@link antidote.defense.trigger.MaskTrigger}). It holds patch triggers (m binary)
 * and blends (m ≡ α). Both stay in [0,1] through Neural Cleanse's tanh map ({@link MaskSearch#squash}) of free
 * variables z = [z_m, z_p], one row [1, H·W + C·H·W], so the hypergradient sees one inner variable. One mask for
 * all channels: the patch and blend triggers it must hold cover every channel alike, and a per-channel mask
 * would triple the free variables on colour images for nothing they need. The budget is mean(m) ≤ cap
 * (m scaled down after every ascent step) and an optional L1 weight on mean(m).
 */
final class MaskPattern implements TriggerFamily {
    private final IbauSettings settings;
    private final PerturbationSettings knobs;

    MaskPattern(IbauSettings settings) {
        this.settings = settings;
        this.knobs = settings.trigger();
    }

    /**
     * Adam ascent on z from m ≡ cap/2 and p ≡ 0.5, one step per batch per pass, each step followed by the cap;
     * labels as the settings say (the model's predictions or the true labels).
     */
    @Override
    public Tensor find(Module model, List<Batch> batches, DoubleConsumer afterStep) {
        Tensor like = batches.get(0).images();
        int[] s = like.shape().dims();
        int area = s[2] * s[3];
        double[] start = new double[area + s[1] * area];
        Arrays.fill(start, 0, area, MaskSearch.unsquash(knobs.maskCap() / 2));
        Parameter z = new Parameter(Tensor.fromArray(start, Shape.of(1, start.length), like.device())
                .to(like.dtype()));
        Optimizer ascent = new Adam(List.of(z), knobs.maskLr());
        // Each step in its own memory step: only z, the optimizer's moments and the model's buffers outlive it.
        StepMemory memory = TrainingMemory.ofVariables(model, List.of(z), ascent);
        TrainingMemory.resident(batches);
        for (int pass = 0; pass < settings.innerPasses(); pass++) {
            for (Batch batch : batches) {
                afterStep.accept(memory.call(() -> ascentStep(model, batch, z, ascent, area)));
            }
        }
        return z.get().detach();
    }

    /** One ascent step on {@code batch} followed by the cap, none when the loss is not finite; returns the loss. */
    private double ascentStep(Module model, Batch batch, Parameter z, Optimizer ascent, int area) {
        Tensor x = batch.images();
        int[] labels = settings.ascentLabels() == IbauSettings.Labels.PREDICTED
                ? UniversalPerturbation.predictions(model, x) : batch.labels();
        Tensor current = z.get();
        Tensor loss = model.forward(apply(x, current)).crossEntropy(labels).neg().add(penalty(current, x));
        double value = loss.item();
        if (Double.isFinite(value)) {
            ascent.step(Autodiff.grad(loss, List.of(current)));
            z.set(cap(z.get(), area, knobs.maskCap()).withGrad());
        }
        return value;
    }

    @Override
    public Tensor apply(Tensor x, Tensor z) {
        Tensor p = pattern(z, x);
        return x.add(mask(z, x).mul(p.sub(x)));
    }

    @Override
    public Tensor applyTo(Tensor x, Tensor z, Tensor rows) {
        Tensor p = pattern(z, x);
        return x.add(mask(z, x).mul(rows).mul(p.sub(x)));
    }

    /** penalty·‖z‖² (keeps tanh off its flat ends, the inner Hessian from singular) + maskPenalty·mean(m). */
    @Override
    public Tensor penalty(Tensor z, Tensor x) {
        Tensor sizeTerm = mask(z, x).mean().mul(knobs.maskPenalty());
        return z.square().sum().mul(settings.penalty()).add(sizeTerm);
    }

    /** m [1,1,H,W] of z, for images like {@code x}. */
    static Tensor mask(Tensor z, Tensor x) {
        int h = x.dim(2);
        int w = x.dim(3);
        return squash(z.slice(1, 0, h * w)).reshape(1, 1, h, w);
    }

    /** p [1,C,H,W] of z, for images like {@code x}. */
    static Tensor pattern(Tensor z, Tensor x) {
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        if (z.dim(1) != h * w * (1 + c)) {
            throw new IllegalArgumentException("a mask-pattern trigger of " + z.dim(1) + " values does not fit "
                    + c + "x" + h + "x" + w + " images (it needs " + h * w * (1 + c) + ")");
        }
        return squash(z.slice(1, h * w, h * w * (1 + c))).reshape(1, c, h, w);
    }

    private static Tensor squash(Tensor free) {
        return MaskSearch.squash(free);
    }

    /** z with its mask scaled down to mean(m) = cap when it is above, through the inverse of the tanh map. */
    static Tensor cap(Tensor z, int area, double cap) {
        try (var off = GradMode.disabled()) {
            double[] m = squash(z.slice(1, 0, area)).toDoubleArray();
            double mean = 0;
            for (double v : m) {
                mean += v / area;
            }
            if (mean <= cap) {
                return z.detach();
            }
            double[] free = new double[area];
            for (int i = 0; i < area; i++) {
                free[i] = MaskSearch.unsquash(m[i] * cap / mean);
            }
            Tensor scaled = Tensor.fromArray(free, Shape.of(1, area), z.device()).to(z.dtype());
            return Tensor.concat(1, List.of(scaled, z.slice(1, area, z.dim(1)))).detach();
        }
    }
}
