package antidote.poison;

import antidote.attack.InputAware;
import antidote.attack.InputAwareNetworks;
import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The input-aware attack's training (Nguyen and Tran 2020, their {@code train.py}). First the mask generator alone:
 * {@code λ_norm · mean(relu(m(x₁) − density)) + λ_mask-div · L_div(x₁, x₂, m(x₁), m(x₂))}, then it is frozen. Then per batch,
 * the classifier and the pattern generator together: the first {@code backdoorShare} of the batch becomes
 * {@code x + m(x) ⊙ (g(x) − x)} with the target label, the next {@code cross} share gets the pattern and mask of another
 * image and keeps its label, the rest stays clean; the loss is the cross-entropy plus {@code λ_div · L_div} between the
 * backdoor images' patterns and the cross images' donors' patterns. {@code L_div(a₁, a₂, o₁, o₂)} is the mean over
 * pairs of {@code ‖a₁ − a₂‖ / (‖o₁ − o₂‖ + 1e-7)} with root-mean-square distances: the diversity loss, which stops the
 * generator from giving every image the same trigger. The original draws the other images from a second shuffled
 * loader; here image i's partner is image (i + B/2) mod B of the same shuffled batch, the same distribution. The
 * classifier keeps its architecture's recipe; both generators use Adam with betas (0.5, 0.9), as the original.
 */
final class InputAwareTraining implements TrainingStep {
    /** The original's ε in the diversity loss's denominator. */
    private static final double EPSILON = 1e-7;
    private static final double BETA1 = 0.5;
    private static final double BETA2 = 0.9;

    private final InputAware attack;
    private final InputAwareNetworks networks;
    private final double backdoorShare;
    private final Adam patternOptimizer;

    /** Trains {@code attack}'s generators (which it must have) with {@code backdoorShare} of each batch triggered. */
    InputAwareTraining(InputAware attack, double backdoorShare) {
        this.attack = attack;
        this.networks = attack.networks().orElseThrow(() -> new IllegalStateException("iab has no generators"));
        if (backdoorShare + attack.cross() > 1) {
            throw new IllegalArgumentException("iab: --poison-rate " + backdoorShare + " plus cross=" + attack.cross()
                    + " exceeds the whole batch; lower one of them (the original uses 0.1 and 0.1)");
        }
        this.backdoorShare = backdoorShare;
        this.patternOptimizer = adam(networks.pattern());
    }

    private Adam adam(Module generator) {
        return new Adam(generator.parameters(), attack.lr(), BETA1, BETA2, Adam.DEFAULT_EPS, 0, false);
    }

    /**
     * Trains the mask generator alone for the attack's mask epochs, then freezes it (evaluation mode); a resumed run
     * instead loads both generators as its last finished epoch left them.
     */
    @Override
    public void beforeEpochs(Loader loader, int resumedEpochs, Path workDir, PrintStream log) throws IOException {
        Module mask = networks.mask();
        if (resumedEpochs > 0) {
            Path saved = workDir.resolve(InputAwareNetworks.FILE);
            if (!Files.exists(saved)) {
                throw new IllegalArgumentException("--resume: " + saved + " (the iab generators after epoch "
                        + resumedEpochs + ") is missing, so the run cannot go on; train it anew with --overwrite");
            }
            Checkpoint.load(saved, networks);
            mask.eval();
            return;
        }
        Adam optimizer = adam(mask);
        StepMemory memory = TrainingMemory.of(List.of(networks), optimizer);
        mask.train();
        for (int epoch = 0; epoch < attack.maskEpochs(); epoch++) {
            double sum = 0;
            int batches = 0;
            try (Epoch batchesOfEpoch = loader.epoch(epoch)) {
                for (Batch batch : batchesOfEpoch) {
                    if (batch.size() < 2) {
                        continue;
                    }
                    int e = epoch + 1;
                    int b = batches;
                    sum += memory.call(() -> {
                        Tensor x = batch.images();
                        Tensor partners = partners(x);
                        Tensor m1 = networks.maskOf(x);
                        Tensor loss = m1.sub(attack.density()).relu().mean().mul(attack.lambdaNorm())
                                .add(diversity(x, partners, m1, networks.maskOf(partners)).mul(attack.maskLambdaDiv()));
                        double value = loss.item();
                        if (!Double.isFinite(value)) {
                            throw new TrainingDivergedException(e, b, value, null);
                        }
                        optimizer.step(Autodiff.grad(loss, mask.parameterValues()));
                        return value;
                    });
                    batches++;
                }
            }
            log.printf("iab mask generator epoch %d/%d: loss %.4f%n", epoch + 1, attack.maskEpochs(),
                    sum / Math.max(1, batches));
        }
        mask.eval();
    }

    /** Saves both generators beside the epoch's checkpoint, so that a resumed run goes on with them. */
    @Override
    public void afterEpoch(Path workDir) throws IOException {
        networks.save(workDir.resolve(InputAwareNetworks.FILE));
    }

    @Override
    public Tensor loss(Module model, Batch batch) {
        networks.pattern().train();
        Tensor x = batch.images();
        int size = batch.size();
        int backdoor = (int) (backdoorShare * size);
        int cross = (int) (attack.cross() * size);
        Tensor partners = partners(x);
        List<Tensor> parts = new ArrayList<>();
        Tensor loss = null;
        Tensor backdoorPatterns = null;
        if (backdoor > 0) {
            Tensor images = x.slice(0, 0, backdoor);
            backdoorPatterns = networks.pattern().forward(images);
            parts.add(InputAwareNetworks.compose(images, backdoorPatterns, networks.maskOf(images)));
        }
        if (cross > 0) {
            Tensor images = x.slice(0, backdoor, backdoor + cross);
            Tensor donors = partners.slice(0, backdoor, backdoor + cross);
            Tensor donorPatterns = networks.pattern().forward(donors);
            parts.add(InputAwareNetworks.compose(images, donorPatterns, networks.maskOf(donors)));
            int pairs = Math.min(backdoor, cross);
            if (pairs > 0) {
                loss = diversity(x.slice(0, 0, pairs), donors.slice(0, 0, pairs), backdoorPatterns.slice(0, 0, pairs),
                        donorPatterns.slice(0, 0, pairs)).mul(attack.lambdaDiv());
            }
        }
        if (backdoor + cross < size) {
            parts.add(x.slice(0, backdoor + cross, size));
        }
        int[] labels = batch.labels().clone();
        Arrays.fill(labels, 0, backdoor, attack.target());
        Tensor inputs = parts.size() == 1 ? parts.get(0) : Tensor.concat(0, parts);
        Tensor ce = model.forward(inputs).crossEntropy(labels);
        return loss == null ? ce : ce.add(loss);
    }

    @Override
    public void update(Tensor loss, Module model, Optimizer optimizer) {
        List<Tensor> modelParameters = model.parameterValues();
        List<Tensor> targets = new ArrayList<>(modelParameters);
        targets.addAll(networks.pattern().parameterValues());
        List<Tensor> grads = Autodiff.grad(loss, targets);
        optimizer.step(grads.subList(0, modelParameters.size()));
        patternOptimizer.step(grads.subList(modelParameters.size(), grads.size()));
    }

    /** Besides the model and its optimizer, the generators and the pattern generator's optimizer outlive each step. */
    @Override
    public StepMemory memory(Module model, Optimizer optimizer) {
        return TrainingMemory.of(List.of(model, networks), optimizer, patternOptimizer);
    }

    /** The test images triggered by the generators as they are now. */
    @Override
    public TriggeredTestSet triggered(Experiment experiment) {
        return Poisoning.triggerTest(experiment.test(), attack);
    }

    /** Image i's partner: image (i + B/2) mod B of the batch, never itself when B >= 2. */
    static Tensor partners(Tensor x) {
        int size = x.dim(0);
        int half = size / 2;
        return half == 0 ? x : Tensor.concat(0, List.of(x.slice(0, half, size), x.slice(0, 0, half)));
    }

    /** Mean over pairs of ‖a₁ − a₂‖ / (‖o₁ − o₂‖ + ε), each a root-mean-square distance over one sample. */
    static Tensor diversity(Tensor a1, Tensor a2, Tensor o1, Tensor o2) {
        Tensor images = rms(a1.sub(a2));
        return images.div(rms(o1.sub(o2)).add(EPSILON)).mean();
    }

    private static Tensor rms(Tensor difference) {
        return difference.square().mean(false, 1, 2, 3).sqrt();
    }
}
