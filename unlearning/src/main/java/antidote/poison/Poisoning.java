package antidote.poison;

import antidote.attack.Attack;
import antidote.attack.Backdoor;
import antidote.attack.BatchTrigger;
import antidote.attack.ImageShape;
import antidote.attack.NoiseMode;
import antidote.data.Dataset;
import antidote.data.Pixels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Plants an attack in a dataset. Training: a seeded choice of round(rate·N) images among those the
 * attack may poison (non-target classes, or the target class for clean-label attacks), triggered and
 * relabelled; noise-mode images (WaNet) are drawn from the rest. Test: every image the backdoor would
 * flip, triggered. Images are stored back as uint8, as a poisoned dataset on disk would be.
 */
public final class Poisoning {
    /** Images a {@link BatchTrigger} gets per call: one network pass each, in bounded memory. */
    private static final int CHUNK = 256;

    private Poisoning() {
    }

    public static PoisonedTrainingSet poisonTraining(Dataset train, Attack attack, double rate, long seed) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("poison rate " + rate + " must be a fraction in [0, 1], e.g. 0.1");
        }
        int classes = train.numClasses();
        int count = (int) Math.round(rate * train.size());
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (attack.backdoorFor(i).poisons(train.label(i), classes)) {
                candidates.add(i);
            }
        }
        if (count > candidates.size()) {
            throw new IllegalArgumentException(attack.name() + ": poison rate " + rate + " asks for " + count
                    + " images but only " + candidates.size() + " of " + train.size()
                    + " may be poisoned (a clean-label attack only poisons its target class); lower --poison-rate");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] chosen = shuffledPrefix(candidates, count, rng);
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        byte[] pixels = new byte[chosen.length * train.imageSize()];
        int[] labels = new int[chosen.length];
        for (int k = 0; k < chosen.length; k++) {
            int i = chosen[k];
            Backdoor backdoor = attack.backdoorFor(i);
            Pixels.toByte(backdoor.apply(train.image(i), shape, i), 0, pixels, k * train.imageSize(), train.imageSize());
            labels[k] = backdoor.trainingLabel(train.label(i), classes);
        }
        Dataset poisoned = train.withSamples(chosen, pixels, labels);
        int[] noise = noiseSamples(train, attack, chosen, rng);
        if (noise.length > 0) {
            byte[] noisePixels = new byte[noise.length * train.imageSize()];
            for (int k = 0; k < noise.length; k++) {
                int i = noise[k];
                NoiseMode mode = attack.backdoorFor(i).noiseMode().orElseThrow();
                Pixels.toByte(mode.trigger().apply(train.image(i), shape, i), 0, noisePixels,
                        k * train.imageSize(), train.imageSize());
            }
            poisoned = poisoned.withSamples(noise, noisePixels, null);
        }
        return new PoisonedTrainingSet(poisoned.withName(train.name() + "+" + attack.name()), chosen, noise);
    }

    /** Noise-mode images: ratio × (poisoned count) images drawn from the unpoisoned rest, keeping their labels. */
    private static int[] noiseSamples(Dataset train, Attack attack, int[] poisoned, SplittableRandom rng) {
        Optional<NoiseMode> mode = attack.backdoors().stream().map(Backdoor::noiseMode).flatMap(Optional::stream)
                .findFirst();
        if (mode.isEmpty() || poisoned.length == 0) {
            return new int[0];
        }
        boolean[] taken = new boolean[train.size()];
        for (int i : poisoned) {
            taken[i] = true;
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (!taken[i] && attack.backdoorFor(i).noiseMode().isPresent()) {
                rest.add(i);
            }
        }
        int count = (int) Math.min(rest.size(), Math.round(mode.get().ratio() * poisoned.length));
        return shuffledPrefix(rest, count, rng);
    }

    /** The first {@code count} of a seeded Fisher–Yates shuffle, sorted so that datasets keep their order. */
    private static int[] shuffledPrefix(List<Integer> items, int count, SplittableRandom rng) {
        int[] a = items.stream().mapToInt(Integer::intValue).toArray();
        for (int k = 0; k < count; k++) {
            int j = k + rng.nextInt(a.length - k);
            int t = a[k];
            a[k] = a[j];
            a[j] = t;
        }
        int[] chosen = Arrays.copyOf(a, count);
        Arrays.sort(chosen);
        return chosen;
    }

    /** Images {@code indices} of {@code data} triggered by {@code trigger} {@value #CHUNK} at a time, into {@code pixels}. */
    private static void triggerInChunks(Dataset data, int[] indices, BatchTrigger trigger, ImageShape shape,
                                        byte[] pixels) {
        int size = data.imageSize();
        for (int start = 0; start < indices.length; start += CHUNK) {
            int count = Math.min(CHUNK, indices.length - start);
            float[] images = new float[count * size];
            for (int k = 0; k < count; k++) {
                System.arraycopy(data.image(indices[start + k]), 0, images, k * size, size);
            }
            Pixels.toByte(trigger.applyAll(images, count, shape), 0, pixels, start * size, count * size);
        }
    }

    /** The triggered test images whose label the backdoor would change. */
    public static TriggeredTestSet triggerTest(Dataset test, Attack attack) {
        int classes = test.numClasses();
        ImageShape shape = new ImageShape(test.channels(), test.height(), test.width());
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            if (attack.backdoorFor(i).poisonedLabel(test.label(i), classes) != test.label(i)) {
                kept.add(i);
            }
        }
        int[] indices = kept.stream().mapToInt(Integer::intValue).toArray();
        Dataset subset = test.subset(indices);
        byte[] pixels = new byte[indices.length * test.imageSize()];
        int[] poisonedLabels = new int[indices.length];
        int[] order = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            Backdoor backdoor = attack.backdoorFor(i);
            if (!(attack instanceof BatchTrigger)) {
                Pixels.toByte(backdoor.apply(test.image(i), shape, i), 0, pixels, k * test.imageSize(),
                        test.imageSize());
            }
            poisonedLabels[k] = backdoor.poisonedLabel(test.label(i), classes);
            order[k] = k;
        }
        if (attack instanceof BatchTrigger batchTrigger) {
            triggerInChunks(test, indices, batchTrigger, shape, pixels);
        }
        Dataset triggered = subset.withSamples(order, pixels, null).withName(test.name() + "+" + attack.name());
        return new TriggeredTestSet(triggered, poisonedLabels);
    }
}
