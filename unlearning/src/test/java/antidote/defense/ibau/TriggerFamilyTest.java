package antidote.defense.ibau;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.defense.SettingsRecord;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The default family is today's additive δ, computed exactly as before; the setting selects the family. */
class TriggerFamilyTest {

    private static List<Batch> batches(IbauSettings settings) {
        SplittableRandom r = new SplittableRandom(1);
        byte[] pixels = new byte[40 * 16];
        r.nextBytes(pixels);
        Dataset clean = Dataset.of("random", pixels, r.ints(40, 0, 3).toArray(), 1, 4, 4, Dataset.numberedClasses(3));
        return UniversalPerturbation.roundBatches(clean, settings, 1);
    }

    @Test
    void additiveIsTheDefaultAndIsBitForBitTheUniversalPerturbation() {
        IbauSettings settings = IbauSettings.referenceCode();
        assertEquals(PerturbationSettings.DEFAULT, settings.trigger());
        TriggerFamily family = TriggerFamily.of(settings);
        assertInstanceOf(AdditivePerturbation.class, family);
        Module model = new Sequential(new Flatten(), new Linear(16, 3, true, new SplittableRandom(2)));
        List<Batch> batches = batches(settings);
        Tensor delta = family.find(model, batches, loss -> { });
        assertArrayEquals(UniversalPerturbation.find(model, batches, settings, loss -> { }).toDoubleArray(),
                delta.toDoubleArray());
        Tensor x = batches.get(0).images();
        Tensor rows = UniversalPerturbation.rowMask(x, 0.3, new SplittableRandom(3));
        assertArrayEquals(x.add(delta).toDoubleArray(), family.apply(x, delta).toDoubleArray());
        assertArrayEquals(x.add(delta.mul(rows)).toDoubleArray(), family.applyTo(x, delta, rows).toDoubleArray());
        assertEquals(delta.square().sum().mul(settings.penalty()).item(), family.penalty(delta, x).item());
    }

    @Test
    void thePerturbationSettingSelectsTheMaskPatternFamilyAndKeepsItThroughTheWithers() {
        IbauSettings settings = SettingsRecord.with(IbauSettings.referenceCode(), "perturbation",
                PerturbationSettings.Perturbation.MASK_PATTERN).withRounds(3);
        assertInstanceOf(MaskPattern.class, TriggerFamily.of(settings));
        assertEquals(3, settings.rounds());
    }
}
