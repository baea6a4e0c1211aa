package antidote.defense.nad;

import antidote.data.Augmentation;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Loader;
import antidote.data.Seeds;
import antidote.defense.Defense;
import antidote.defense.DefenseLoop;
import antidote.defense.FrozenCopy;
import antidote.defense.Networks;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.model.Tapped;
import antidote.nn.optim.Sgd;
import antidote.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neural Attention Distillation (Li et al., ICLR 2021), with the settings of its code: fine-tune a teacher from the
 * poisoned model on the augmented clean set for K₃ epochs, then train the student, again from the poisoned model,
 * on CE + Σ β_l·AT(student_l, teacher_l) over three blocks ({@link AttentionLayers}, {@link AttentionMaps}) for
 * K₄ epochs. Both phases use SGD with Nesterov momentum, the learning rate dropping after {@code lrDropEpoch}
 * epochs, and the teacher answers in evaluation mode. The observer sees the student's K₄ epochs as the rounds;
 * the teacher's fine-tuning comes first and its time counts in the first round's.
 */
public final class Nad implements Defense {
    private static final long STUDENT_STREAM = 0x4E414453L;

    /**
     * @param teacherEpochs K₃, epochs of fine-tuning the teacher (the I-BAU paper: 20)
     * @param epochs        K₄, epochs of training the student (20)
     * @param batchSize     images per batch (NAD: 64)
     * @param lr            SGD learning rate of the first epochs of each phase (NAD: 0.1)
     * @param lrDropEpoch   epochs at {@code lr} before {@code lowLr} (NAD: 2)
     * @param lowLr         the learning rate after the drop (NAD: 0.01)
     * @param momentum      Nesterov momentum (0.9)
     * @param weightDecay   L2 weight decay (1e-4)
     * @param beta1         weight of the lowest block's attention loss (500, NAD's and BackdoorBench's setting for
     *                      three groups)
     * @param beta2         weight of the middle block's (1000)
     * @param beta3         weight of the highest block's (1000)
     * @param power         p of the attention map Σ|f|^p (2)
     * @param cropPadding   random-crop padding of the augmentation, 0 for none (NAD: 4)
     * @param flip          random horizontal flips (NAD: on; the I-BAU paper notes they hurt on traffic signs)
     * @param cutout        side of the cutout hole, 0 for none (NAD: 3)
     * @param seed          batch order, augmentation and dropout draws
     */
    public record Settings(@Setting("K3, epochs of fine-tuning the teacher on the clean set") int teacherEpochs,
                           @Setting("K4, epochs of training the student by attention distillation") int epochs,
                           @Setting("clean images per batch") int batchSize,
                           @Setting("SGD learning rate of the first epochs of each phase") double lr,
                           @Setting("epochs at --nad-lr before --nad-low-lr") int lrDropEpoch,
                           @Setting("SGD learning rate after the drop") double lowLr,
                           @Setting("SGD Nesterov momentum") double momentum,
                           @Setting("SGD weight decay") double weightDecay,
                           @Setting("weight of the lowest block's attention loss") double beta1,
                           @Setting("weight of the middle block's attention loss") double beta2,
                           @Setting("weight of the highest block's attention loss") double beta3,
                           @Setting("p of the attention map sum_c |f_c|^p") double power,
                           @Setting("random-crop padding of the augmentation (0: no crop)") int cropPadding,
                           @Setting("random horizontal flips in the augmentation") boolean flip,
                           @Setting("side of the cutout hole of the augmentation (0: no cutout)") int cutout,
                           @Setting("seed of the batch order and the augmentation") long seed) {
        /** NAD's code with the I-BAU paper's K₃ = K₄ = 20. */
        public static final Settings PAPER = new Settings(20, 20, 64, 0.1, 2, 0.01, 0.9, 1e-4, 500, 1000, 1000, 2,
                4, true, 3, 0);

        public Settings {
            if (teacherEpochs < 1 || epochs < 1 || batchSize < 1 || !(lr > 0) || lrDropEpoch < 0 || !(lowLr > 0)
                    || !(momentum > 0) || weightDecay < 0 || beta1 < 0 || beta2 < 0 || beta3 < 0 || !(power > 0)
                    || cropPadding < 0 || cutout < 0) {
                throw new IllegalArgumentException("NAD needs epochs >= 1, batch size >= 1, positive learning rates, "
                        + "momentum and power, and non-negative weight decay, betas, crop padding and cutout; got " + this);
            }
        }

        /** The β of each block, lowest first. */
        double[] betas() {
            return new double[] {beta1, beta2, beta3};
        }

        /** Crop, flip and cutout, in NAD's order. */
        Augmentation augmentation() {
            Augmentation a = cropPadding > 0 ? Augmentation.randomCrop(cropPadding) : Augmentation.none();
            if (flip) {
                a = a.then(Augmentation.horizontalFlip());
            }
            return cutout > 0 ? a.then(new Cutout(cutout)) : a;
        }
    }

    private final Settings settings;
    private List<String> layers = List.of();

    public Nad(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "nad";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        layers = AttentionLayers.of(model);
        Map<String, Tensor> poisoned = model.stateDict();
        Loader loader = Loader.over(cleanSet).batchSize(settings.batchSize()).seed(settings.seed())
                .augmentation(settings.augmentation()).build();
        Sgd teacherOptimizer = sgd(model);
        DefenseLoop.epochs(name() + " teacher", model, teacherOptimizer, settings.teacherEpochs(), loader,
                (batch, epoch, index) -> {
                    teacherOptimizer.setLearningRate(learningRate(epoch));
                    return teacherStep(model, teacherOptimizer, batch);
                }, (round, m) -> { });
        FrozenCopy teacher = new FrozenCopy(model);
        model.loadStateDict(poisoned);
        Sgd optimizer = sgd(model);
        // A seed of its own, so that the student does not replay the teacher's batch orders and augmentations.
        Loader studentLoader = Loader.over(cleanSet).batchSize(settings.batchSize())
                .seed(Seeds.derive(settings.seed(), STUDENT_STREAM).nextLong()).augmentation(settings.augmentation())
                .build();
        DefenseLoop.epochs(name(), model, optimizer, settings.epochs(), studentLoader, (batch, epoch, index) -> {
            optimizer.setLearningRate(learningRate(epoch));
            return studentStep(model, teacher, optimizer, batch);
        }, observer);
    }

    /** NAD's schedule: {@code lr} for the first {@code lrDropEpoch} epochs (counted from 1) of a phase, then {@code lowLr}. */
    private double learningRate(int epoch) {
        return epoch <= settings.lrDropEpoch() ? settings.lr() : settings.lowLr();
    }

    private Sgd sgd(Module model) {
        return new Sgd(model.parameters(), settings.lr(), settings.momentum(), 0, settings.weightDecay(), true);
    }

    /** The teacher's fine-tuning: cross-entropy on the clean batch, in training mode. */
    private static double teacherStep(Module model, Sgd optimizer, Batch batch) {
        model.train();
        Tensor loss = model.forward(batch.images()).crossEntropy(batch.labels());
        return update(model, optimizer, loss);
    }

    /** The student's step: cross-entropy plus the β-weighted attention losses against the teacher. */
    private double studentStep(Module model, FrozenCopy teacher, Sgd optimizer, Batch batch) {
        Tensor x = batch.images();
        // The teacher first: swapping its weights in and out gives the student's parameters new leaves.
        Tapped.Output taught;
        try (var off = GradMode.disabled()) {
            taught = teacher.apply(m -> Networks.forwardTapped(m, x, "NAD"));
        }
        model.train();
        Tapped.Output out = Networks.forwardTapped(model, x, "NAD");
        Tensor loss = out.logits().crossEntropy(batch.labels());
        double[] betas = settings.betas();
        for (int l = 0; l < layers.size(); l++) {
            if (betas[l] != 0) {
                String tap = layers.get(l);
                loss = loss.add(AttentionMaps.loss(out.tap(tap), taught.tap(tap), settings.power()).mul(betas[l]));
            }
        }
        return update(model, optimizer, loss);
    }

    private static double update(Module model, Sgd optimizer, Tensor loss) {
        double value = loss.item();
        if (Double.isFinite(value)) {
            optimizer.step(Autodiff.grad(loss, model.parameterValues()));
        }
        return value;
    }

    @Override
    public Map<String, Object> findings() {
        Map<String, Double> betas = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            betas.put(layers.get(l), settings.betas()[l]);
        }
        return Map.of("teacher_epochs", settings.teacherEpochs(), "attention_betas", betas);
    }
}
