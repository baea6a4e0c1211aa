package antidote.pipeline;

import antidote.defense.Defense;
import antidote.defense.ft.FineTuning;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.ibau.Ibau;
import antidote.defense.sau.Sau;

import java.util.List;

/** The defenses by command-line name, built with the number of rounds (or epochs) and the seed. */
public final class Defenses {
    private Defenses() {
    }

    public static List<String> names() {
        return List.of("ibau", "sau", "ft", "naive-uap");
    }

    /**
     * @param rounds I-BAU and naive-UAP rounds, SAU and fine-tuning epochs; 0 keeps each defense's default
     *               (I-BAU 1, naive-UAP 1, SAU 100 as in BackdoorBench, fine-tuning 5)
     */
    public static Defense create(String name, int rounds, long seed) {
        return create(name, rounds, seed, IbauSettings.referenceCode());
    }

    /** As {@link #create(String, int, long)}, with the I-BAU variant (reference code or paper, solver) given. */
    public static Defense create(String name, int rounds, long seed, IbauSettings ibau) {
        return switch (name) {
            case "ibau" -> new Ibau(withRounds(ibau, rounds).withSeed(seed));
            case "naive-uap" -> Ibau.naive(withRounds(ibau, rounds).withSeed(seed));
            case "sau" -> {
                Sau.Settings s = Sau.Settings.BACKDOORBENCH.withSeed(seed);
                yield new Sau(rounds > 0 ? s.withEpochs(rounds) : s);
            }
            case "ft" -> {
                FineTuning.Settings d = FineTuning.Settings.DEFAULT;
                yield new FineTuning(new FineTuning.Settings(rounds > 0 ? rounds : d.epochs(), d.batchSize(), d.lr(),
                        seed));
            }
            default -> throw new IllegalArgumentException("unknown defense '" + name + "'; choose one of " + names());
        };
    }

    private static IbauSettings withRounds(IbauSettings s, int rounds) {
        return rounds > 0 ? s.withRounds(rounds) : s;
    }
}
