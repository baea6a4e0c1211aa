package antidote.poison;

import antidote.data.Batch;
import antidote.data.Seeds;
import antidote.privacy.DpSchedule;
import antidote.privacy.DpSettings;
import antidote.privacy.GradientPrivatizer;
import antidote.privacy.PoissonBatches;

/**
 * What DP-SGD changes in the training loop of {@link PoisonedModelTrainer}: the batches (Poisson draws, or
 * shuffled full batches from the usual loader), the step ({@link DpTrainingStep}), and the training mode, with batch
 * norm on its fixed running statistics ({@link antidote.nn.persample.PerSampleGradients#trainingMode}).
 */
final class DpTraining {
    /** The stream of the gradient noise, apart from the loader's and the sampler's. */
    private static final long NOISE_STREAM = 0xD9_0153L;

    private final DpSchedule schedule;
    private final Experiment experiment;
    private final long seed;
    private final GradientPrivatizer privatizer;

    DpTraining(DpSettings settings, Experiment experiment, int batchSize, long seed) {
        this.schedule = DpSchedule.of(settings, experiment.poisoned().dataset().size(), batchSize);
        this.experiment = experiment;
        this.seed = seed;
        this.privatizer = new GradientPrivatizer(settings, schedule.expectedBatch());
    }

    DpSchedule schedule() {
        return schedule;
    }

    /** Epoch {@code epoch}'s Poisson batches, or null when batches are shuffled (the loader's, last one dropped). */
    Iterable<Batch> poissonBatches(int epoch) {
        if (schedule.settings().sampling() != DpSettings.Sampling.POISSON) {
            return null;
        }
        return new PoissonBatches(experiment.poisoned().dataset(), schedule.rate(), schedule.stepsPerEpoch(),
                experiment.trainAugmentation(), seed, epoch);
    }

    /** The step of epoch {@code epoch}, its noise drawn from a stream of the seed and the epoch. */
    TrainingStep step(int epoch) {
        return new DpTrainingStep(privatizer, Seeds.derive(seed, NOISE_STREAM, epoch));
    }
}
