package antidote.defense.ibau;

import antidote.defense.SettingsRecord;
import antidote.pipeline.Defenses;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** I-BAU's named presets: what each one changes, and that the command line reaches it by name. */
class IbauPresetsTest {

    @Test
    void projectedIsThePaperWithTheReferenceCodesShareOfPerturbedImages() {
        Map<String, Object> paper = values(IbauSettings.paper());
        Map<String, Object> projected = values(IbauSettings.projected());
        assertEquals(0.01, projected.get("perturbed-share"));
        assertEquals(IbauSettings.Projection.EACH_STEP, projected.get("projection"));
        paper.put("perturbed-share", IbauSettings.referenceCode().perturbedShare());
        assertEquals(paper, projected);
    }

    @Test
    void projectedIsTheDefaultAndEveryPresetIsReachableByName() {
        assertEquals(IbauSettings.projected(), Defenses.kind("ibau").defaults());
        assertEquals(IbauSettings.referenceCode(), Defenses.kind("ibau").preset("reference-code"));
        assertEquals(IbauSettings.paper(), Defenses.kind("naive-uap").preset("paper"));
    }

    private static Map<String, Object> values(IbauSettings settings) {
        return SettingsRecord.fields(settings).stream()
                .collect(Collectors.toMap(SettingsRecord.Field::name, SettingsRecord.Field::value));
    }
}
