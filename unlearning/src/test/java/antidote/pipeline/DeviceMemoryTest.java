package antidote.pipeline;

import antidote.backend.Backends;
import antidote.backend.cuda.CudaBackend;
import antidote.backend.cuda.EmulatedCudaProvider;
import antidote.backend.cuda.MemoryScope;
import antidote.backend.cuda.StepMemory;
import antidote.core.Device;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.RoundObserver;
import antidote.defense.SettingsRecord;
import antidote.defense.ft.FineTuning;
import antidote.defense.deepinspect.DeepInspect;
import antidote.defense.tabor.TriggerQuality;
import antidote.defense.trigger.MaskSearch;
import antidote.defense.trigger.MaskTrigger;
import antidote.defense.trigger.SearchPenalty;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.defense.ibau.Ibau;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.ibau.PerturbationSettings;
import antidote.defense.ibau.UniversalPerturbation;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.Elu;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.layer.MaxPool2d;
import antidote.nn.model.SmallVgg;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.poison.TrainingMemory;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On the emulated GPU: with {@link TrainingMemory}'s step scopes, the device bytes held by live buffers are the
 * same after every one of 50 training steps and of I-BAU's outer steps (made of the defense's public pieces), so
 * device memory does not grow with the number of batches; and the same through the defenses' own loops (I-BAU's
 * unlearning steps, fine-tuning's batches, as {@code DefenseLoop} runs every defense's epochs). By default on a
 * small network of SmallVgg's layer kinds; on SmallVgg itself with {@code -Dantidote.slow=true} (minutes on the
 * emulator).
 */
class DeviceMemoryTest {
    private static final Device EMULATED = new Device(EmulatedCudaProvider.KIND, 0);
    private String saved;
    private CudaBackend gpu;

    @BeforeEach
    void onTheEmulatedGpu() {
        try {
            gpu = (CudaBackend) Backends.get(EMULATED);
        } catch (IllegalStateException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
        }
        saved = System.getProperty("antidote.device");
        System.setProperty("antidote.device", EMULATED.toString());
    }

    @AfterEach
    void restoreDevice() {
        if (saved == null) {
            System.clearProperty("antidote.device");
        } else {
            System.setProperty("antidote.device", saved);
        }
    }

    /** A network of the same layer kinds as SmallVgg, small enough for the emulator to train quickly. */
    private static Module tinyCnn(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, true, rng), new BatchNorm2d(4), new Elu(), new MaxPool2d(2),
                new Flatten(), new Linear(4 * 4 * 4, 3, true, rng));
    }

    @Test
    void fiftyTrainingStepsHoldTheSameDeviceBytesAfterEachStep() {
        trainFiftySteps(() -> tinyCnn(1));
    }

    @Test
    void ibauOuterStepsHoldTheSameDeviceBytesAfterEachStep() {
        ibauOuterSteps(() -> tinyCnn(2));
    }

    /**
     * The bench's I-BAU iteration: the ascent runs inside the step with the model in training mode, so every
     * forward pass of the search replaces the batch-norm running statistics, which must outlive the search's steps.
     */
    @Test
    void ibauIterationsInTrainingModeKeepTheRunningStatisticsAndHoldTheSameDeviceBytes() {
        try (MemoryScope all = MemoryScope.open()) {
            Module model = tinyCnn(3);
            model.train();
            SplittableRandom rng = new SplittableRandom(6);
            IbauSettings settings = SettingsRecord.with(IbauSettings.referenceCode(), "perturbed-share", 0.5);
            Ibau ibau = new Ibau(settings);
            Optimizer outer = new Adam(model.parameters(), settings.outerLr());
            StepMemory memory = TrainingMemory.of(model, outer);
            Supplier<float[]> runningMean = () -> model.namedBuffers().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("running_mean")).findFirst().orElseThrow().getValue().get()
                    .toFloatArray();
            float[] before = runningMean.get();
            List<Long> live = new ArrayList<>();
            for (int step = 0; step < 4; step++) {
                List<Batch> batches = List.of(batch(rng, 4, 3), batch(rng, 4, 3));
                memory.run(() -> ibau.unlearnStep(model, outer, batches.get(0), batches.get(0),
                        UniversalPerturbation.find(model, batches, settings, loss -> { }), rng));
                live.add(gpu.liveBytes());
            }
            assertFlat("iteration", live);
            assertFalse(Arrays.equals(before, runningMean.get()), "the search's forward passes move the running mean");
        }
    }

    @Test
    void ibauPurifyHoldsTheSameDeviceBytesAfterEachAscentAndEachUnlearningStep() {
        ibauPurifyIsFlat(PerturbationSettings.Perturbation.ADDITIVE);
    }

    @Test
    void ibauMaskPatternPurifyHoldsTheSameDeviceBytesAfterEachAscentAndEachUnlearningStep() {
        ibauPurifyIsFlat(PerturbationSettings.Perturbation.MASK_PATTERN);
    }

    private void ibauPurifyIsFlat(PerturbationSettings.Perturbation family) {
        IbauSettings settings = SettingsRecord.with(IbauSettings.referenceCode(), Map.of("batch-size", 4,
                "perturbed-share", 0.5, "rounds", 1, "perturbation", family));
        int batches = 5;
        List<Long> live = purifyRecordingLiveBytes(new Ibau(settings), 4 * batches);
        // A round: the ascent's passes (δ and its optimizer's moments live), then the unlearning steps.
        assertEquals((settings.innerPasses() + 1) * batches, live.size());
        assertFlat("ascent step", live.subList(0, live.size() - batches));
        assertFlat("unlearning step", live.subList(live.size() - batches, live.size()));
    }

    @Test
    void neuralCleanseSearchHoldsItsDeviceBytesAfterEachEpoch() {
        MaskSearch.Settings settings = new MaskSearch.Settings(12, 16, 4, 0.1, 1e-3, 0.99, 2, 2.0, 25, 0.99);
        List<Long> live = new ArrayList<>();
        try (MemoryScope all = MemoryScope.open()) {
            MaskSearch.run("nc", tinyCnn(8), randomClean(24), 3, settings, SearchPenalty.NONE, 0,
                    epoch -> live.add(gpu.liveBytes()));
        }
        assertEquals(12, live.size());
        // The only growth allowed: each class's best mask and pattern once it has one, two of the device pool's
        // smallest blocks (512 bytes) per class.
        long bestTriggers = 3L * 2 * 512;
        for (int epoch = 1; epoch < live.size(); epoch++) {
            assertTrue(live.get(epoch) <= live.get(0) + bestTriggers, "live device bytes after epoch "
                    + (epoch + 1) + ": " + live.get(epoch) + ", after the first " + live.get(0));
        }
    }

    @Test
    void deepInspectGeneratorHoldsTheSameDeviceBytesAfterEachStep() {
        DeepInspect.Settings settings = SettingsRecord.with(DeepInspect.Settings.DEFAULT, Map.of(
                "generator-steps", 8, "generator-batch-size", 4, "noise-dim", 4, "hidden-size", 8));
        List<Long> live = purifyRecordingLiveBytes(new DeepInspect(settings), 12);
        assertFlat("generator step", live.subList(0, 8));
    }

    /** With the GAN term: the discriminator's weights and its Adam's moments are the only other survivors. */
    @Test
    void deepInspectGeneratorAndDiscriminatorHoldTheSameDeviceBytesAfterEachStep() {
        DeepInspect.Settings settings = SettingsRecord.with(DeepInspect.Settings.DEFAULT, Map.of(
                "generator-steps", 8, "generator-batch-size", 4, "noise-dim", 4, "hidden-size", 8, "gan-weight", 0.1));
        List<Long> live = purifyRecordingLiveBytes(new DeepInspect(settings), 12);
        assertFlat("generator and discriminator step", live.subList(0, 8));
    }

    /** Every entry equals the first. */
    private static void assertFlat(String what, List<Long> live) {
        for (int step = 1; step < live.size(); step++) {
            assertEquals(live.get(0), live.get(step), "live device bytes after " + what + " " + (step + 1) + " of "
                    + live.size());
        }
    }

    @Test
    void fineTuningPurifyHoldsTheSameDeviceBytesAfterEachBatch() {
        FineTuning.Settings settings = SettingsRecord.with(FineTuning.Settings.DEFAULT, Map.of("epochs", 2,
                "batch-size", 4));
        List<Long> live = purifyRecordingLiveBytes(new FineTuning(settings), 24);
        assertEquals(12, live.size());
        for (int step = 1; step < live.size(); step++) {
            assertEquals(live.get(0), live.get(step), "live device bytes after batch " + (step + 1) + " of 12");
        }
    }

    @Test
    void triggerUnlearningHoldsTheSameDeviceBytesAfterEachBatch() {
        // Neural Cleanse's, TABOR's and DeepInspect's mitigation, with one recovered trigger (a 2x2 corner patch).
        TriggerUnlearning.Settings settings = SettingsRecord.with(TriggerUnlearning.Settings.DEFAULT,
                Map.of("epochs", 2, "batch-size", 4));
        List<Long> live = new ArrayList<>();
        try (MemoryScope all = MemoryScope.open()) {
            float[] corner = new float[64];
            corner[0] = corner[1] = corner[8] = corner[9] = 1;
            Tensor mask = Tensor.fromArray(corner, 1, 1, 8, 8);
            Tensor pattern = Tensor.fromArray(corner.clone(), 1, 1, 8, 8);
            MaskTrigger trigger = new MaskTrigger(0, mask, pattern, 4, 1, true);
            TriggerUnlearning.run("test", tinyCnn(6), randomClean(24), List.of(trigger), settings, 0,
                    new RoundObserver() {
                        @Override
                        public void afterStep(int round, int step, int steps) {
                            live.add(gpu.liveBytes());
                        }

                        @Override
                        public void afterRound(int round, Module model) {
                        }
                    }, 0, 6);
        }
        assertEquals(12, live.size());
        for (int step = 1; step < live.size(); step++) {
            assertEquals(live.get(0), live.get(step), "live device bytes after batch " + (step + 1) + " of 12");
        }
    }

    @Test
    void taborQualityMetricHoldsNoDeviceBytesOnceMeasured() {
        // TABOR's quality metric (a forward, an input gradient and a blanked forward per batch) on 1 to 4 batches:
        // what it leaves on the device must not grow with the number of batches.
        SplittableRandom rng = new SplittableRandom(11);
        List<Long> live = new ArrayList<>();
        try (MemoryScope all = MemoryScope.open()) {
            Module model = tinyCnn(9);
            model.eval();
            List<Batch> batches = TrainingMemory.resident(List.of(batch(rng, 4, 3), batch(rng, 4, 3),
                    batch(rng, 4, 3), batch(rng, 4, 3)));
            float[] corner = new float[64];
            corner[0] = corner[1] = corner[8] = corner[9] = 1;
            MaskTrigger trigger = new MaskTrigger(0, Tensor.fromArray(corner, 1, 1, 8, 8),
                    Tensor.fromArray(corner.clone(), 1, 1, 8, 8), 4, 1, true);
            for (int n = 1; n <= batches.size(); n++) {
                TriggerQuality.of(trigger, model, batches.subList(0, n));
                live.add(gpu.liveBytes());
            }
        }
        assertFlat("quality metric over batches", live);
    }

    /** Runs {@code defense} on the tiny network and {@code images} random clean images; live bytes after each batch. */
    private List<Long> purifyRecordingLiveBytes(Defense defense, int images) {
        List<Long> live = new ArrayList<>();
        // As in the other tests: everything outside the defense's steps belongs to this scope, not to the Cleaner.
        try (MemoryScope all = MemoryScope.open()) {
            defense.purify(tinyCnn(4), randomClean(images), new RoundObserver() {
                @Override
                public void afterStep(int round, int step, int steps) {
                    live.add(gpu.liveBytes());
                }

                @Override
                public void afterRound(int round, Module model) {
                }
            });
        }
        return live;
    }

    /** SmallVgg itself: several minutes on the emulator, so only with -Dantidote.slow=true. */
    @Test
    @EnabledIfSystemProperty(named = "antidote.slow", matches = "true")
    void fiftySmallVggTrainingStepsHoldTheSameDeviceBytesAfterEachStep() {
        trainFiftySteps(() -> new SmallVgg(1, 8, 8, 3, new SplittableRandom(1)));
    }

    /** SmallVgg itself: several minutes on the emulator, so only with -Dantidote.slow=true. */
    @Test
    @EnabledIfSystemProperty(named = "antidote.slow", matches = "true")
    void smallVggIbauOuterStepsHoldTheSameDeviceBytesAfterEachStep() {
        ibauOuterSteps(() -> new SmallVgg(1, 8, 8, 3, new SplittableRandom(2)));
    }

    private void trainFiftySteps(Supplier<Module> network) {
        // Everything the test allocates is owned by this scope until the end, so no buffer of it is left to the
        // Cleaner, whose asynchronous releases would move the count.
        try (MemoryScope all = MemoryScope.open()) {
            Module model = network.get();
            SplittableRandom rng = new SplittableRandom(3);
            model.train();
            Optimizer adam = new Adam(model.parameters(), 1e-3);
            StepMemory memory = TrainingMemory.of(model, adam);
            long afterFirst = -1;
            for (int step = 0; step < 50; step++) {
                Batch batch = batch(rng, 2, 3);
                double loss = memory.call(() -> {
                    Tensor l = model.forward(batch.images()).crossEntropy(batch.labels());
                    adam.step(Autodiff.grad(l, model.parameterValues()));
                    return l.item();
                });
                assertTrue(Double.isFinite(loss));
                if (step == 0) {
                    afterFirst = gpu.liveBytes();
                } else {
                    assertEquals(afterFirst, gpu.liveBytes(), "live device bytes after step " + step);
                }
            }
            // The model still computes after the steps: its weights were kept, not released.
            assertTrue(Double.isFinite(model.forward(batch(rng, 2, 3).images()).sum().item()));
        }
    }

    private void ibauOuterSteps(Supplier<Module> network) {
        // Everything the test allocates is owned by this scope until the end, so no buffer of it is left to the
        // Cleaner, whose asynchronous releases would move the count.
        try (MemoryScope all = MemoryScope.open()) {
            Module model = network.get();
            SplittableRandom rng = new SplittableRandom(5);
            model.eval();
            IbauSettings settings = SettingsRecord.with(IbauSettings.referenceCode(), "perturbed-share", 0.5);
            Ibau ibau = new Ibau(settings);
            List<Batch> batches = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                batches.add(batch(rng, 4, 3));
                batches.get(b).images(); // on the device once per batch, before the steps, as a round keeps them
            }
            Tensor perturbation = UniversalPerturbation.find(model, batches, settings, loss -> { });
            Optimizer outer = new Adam(model.parameters(), settings.outerLr());
            StepMemory memory = TrainingMemory.of(model, outer);
            long afterFirst = -1;
            for (int step = 0; step < 6; step++) {
                Batch batch = batches.get(step % batches.size());
                memory.run(() -> ibau.unlearnStep(model, outer, batch, batches.get(0), perturbation, rng));
                if (step == 0) {
                    afterFirst = gpu.liveBytes();
                } else {
                    assertEquals(afterFirst, gpu.liveBytes(), "live device bytes after outer step " + step);
                }
            }
        }
    }

    /** {@code images} random 1x8x8 images of three classes. */
    private static Dataset randomClean(int images) {
        byte[] pixels = new byte[images * 64];
        new SplittableRandom(7).nextBytes(pixels);
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % 3;
        }
        return Dataset.of("random", pixels, labels, 1, 8, 8, List.of("a", "b", "c"));
    }

    private static Batch batch(SplittableRandom rng, int n, int classes) {
        float[] pixels = new float[n * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        int[] labels = new int[n];
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
            indices[i] = i;
        }
        return new Batch(pixels, labels, indices, 1, 8, 8);
    }
}
