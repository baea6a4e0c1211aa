package antidote.pipeline;

import antidote.defense.Defense;
import antidote.defense.ft.FineTuning;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.ibau.Ibau;
import antidote.defense.sau.Sau;

import java.util.List;

/** The defenses by command-line name, built from the user's {@link DefenseOptions}. */
public final class Defenses {
    private Defenses() {
    }

    public static List<String> names() {
        return List.of("ibau", "sau", "ft", "naive-uap");
    }

    public static Defense create(String name, DefenseOptions options) {
        return switch (name) {
            case "ibau" -> new Ibau(ibau(options));
            case "naive-uap" -> Ibau.naive(ibau(options));
            case "sau" -> {
                Sau.Settings s = Sau.Settings.BACKDOORBENCH.withSeed(options.seed());
                s = options.rounds() > 0 ? s.withEpochs(options.rounds()) : s;
                yield new Sau(options.lr() > 0 ? s.withLr(options.lr()) : s);
            }
            case "ft" -> {
                FineTuning.Settings d = FineTuning.Settings.DEFAULT;
                yield new FineTuning(new FineTuning.Settings(options.rounds() > 0 ? options.rounds() : d.epochs(),
                        d.batchSize(), options.lr() > 0 ? options.lr() : d.lr(), options.seed()));
            }
            default -> throw new IllegalArgumentException("unknown defense '" + name + "'; choose one of " + names());
        };
    }

    private static IbauSettings ibau(DefenseOptions options) {
        IbauSettings s = options.ibau().withSeed(options.seed());
        s = options.rounds() > 0 ? s.withRounds(options.rounds()) : s;
        return options.lr() > 0 ? s.withOuterLr(options.lr()) : s;
    }
}
