package antidote.repro;

import antidote.attack.AttackSpec;
import antidote.pipeline.DefenseRun;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The paper-style tables: ACC/ASR before and after per attack and defense (Table 1), the same across poison rates
 * (Table 4) and clean-set sizes (Table 5), defense time (Table 6), and the slides' summary ({@link Summary}).
 */
public final class Tables {
    private Tables() {
    }

    /** Every table the plan's grid supports, as Markdown. */
    public static String all(Plan plan, List<ResultRow> rows) {
        double rate = plan.poisonRates().get(0);
        int clean = Collections.max(plan.cleanSamples());
        StringBuilder sb = new StringBuilder();
        sb.append("## Effectiveness (the paper's Table 1)\n\nPoison rate ").append(percent(rate))
                .append(", ").append(clean).append(" clean images.\n\n")
                .append(effectiveness(rows, r -> r.poisonRate() == rate && r.cleanSamples() == clean, List.of()));
        Predicate<ResultRow> severalRates = variedModels(rows, r -> r.cleanSamples() == clean, ResultRow::poisonRate);
        if (plan.allPoisonRates().size() > 1) {
            sb.append("\n## Poison rates (the paper's Table 4)\n\n").append(clean).append(" clean images.\n\n")
                    .append(effectiveness(rows, severalRates,
                            List.of(new Column("poison rate", r -> percent(r.poisonRate())))));
        }
        if (plan.allCleanSamples().size() > 1) {
            sb.append("\n## Clean-set sizes (the paper's Table 5)\n\nPoison rate ").append(percent(rate)).append(".\n\n")
                    .append(effectiveness(rows, variedModels(rows, r -> r.poisonRate() == rate, ResultRow::cleanSamples),
                            List.of(new Column("clean images", r -> Integer.toString(r.cleanSamples())))));
        }
        sb.append("\n## Defense time (the paper's Table 6)\n\n").append(time(rows));
        sb.append("\n## Summary (the slides' comparison)\n\n").append(Summary.table(plan, rows));
        return sb.toString();
    }

    /**
     * The rows of {@code scope} whose attack (on its dataset, with its seed) was measured there at more than one
     * value of {@code varied}: the rows of a sensitivity table, which leaves out attacks measured at one value only.
     */
    static Predicate<ResultRow> variedModels(List<ResultRow> rows, Predicate<ResultRow> scope,
                                             Function<ResultRow, Object> varied) {
        Map<String, Set<Object>> values = new LinkedHashMap<>();
        rows.stream().filter(scope).forEach(r -> values.computeIfAbsent(attackKey(r), k -> new LinkedHashSet<>())
                .add(varied.apply(r)));
        return scope.and(r -> values.getOrDefault(attackKey(r), Set.of()).size() > 1);
    }

    private static String attackKey(ResultRow r) {
        return r.dataset() + "|" + r.attack() + "|" + r.seed();
    }

    /** A column of the row key beyond dataset and attack. */
    private record Column(String title, Function<ResultRow, String> value) {
    }

    /**
     * One row per model (dataset, attack and {@code extra} columns), "ACC / ASR" without defense and after each
     * defense; "×" marks a detecting defense that flagged nothing and left the model unchanged.
     */
    static String effectiveness(List<ResultRow> all, Predicate<ResultRow> keep, List<Column> extra) {
        List<ResultRow> rows = all.stream().filter(keep).toList();
        Set<String> defenses = new LinkedHashSet<>();
        rows.forEach(r -> defenses.add(r.defense()));
        StringBuilder sb = new StringBuilder("| dataset | attack |");
        extra.forEach(c -> sb.append(' ').append(c.title()).append(" |"));
        sb.append(" no defense |");
        defenses.forEach(d -> sb.append(' ').append(d).append(" |"));
        sb.append("\n|---|---|").append("---|".repeat(extra.size() + 1 + defenses.size())).append('\n');
        Map<String, List<ResultRow>> byModel = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            StringBuilder key = new StringBuilder(r.dataset() + "|" + r.attack() + "|" + r.seed());
            extra.forEach(c -> key.append('|').append(c.value().apply(r)));
            byModel.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        for (List<ResultRow> model : byModel.values()) {
            ResultRow first = model.get(0);
            sb.append("| ").append(first.dataset()).append(" | ").append(first.attack()).append(" |");
            extra.forEach(c -> sb.append(' ').append(c.value().apply(first)).append(" |"));
            sb.append(' ').append(pair(first.accBefore(), first.asrBefore())).append(" |");
            for (String d : defenses) {
                ResultRow r = model.stream().filter(x -> x.defense().equals(d)).findFirst().orElse(null);
                sb.append(' ').append(r == null ? "-" : cell(r)).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nEach cell is ACC / ASR in percent (clean accuracy / attack success rate); × marks a defense that "
                + "detected no backdoor and returned the model unchanged.\n");
        return sb.toString();
    }

    private static String cell(ResultRow r) {
        String pair = pair(r.accAfter(), r.asrAfter());
        return Boolean.FALSE.equals(r.detected()) ? "× (" + pair + ")" : pair;
    }

    /** Table 6: seconds each defense ran and the time until ASR fell below 20%. */
    public static String time(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder("| dataset | attack | poison rate | defense | clean images | defense seconds "
                + "| seconds to ASR < 20% | DER |\n|---|---|---|---|---|---|---|---|\n");
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.1f | %s | %.3f |%n", r.dataset(),
                    r.attack(), percent(r.poisonRate()), r.defense(), r.cleanSamples(), r.seconds(), timeToEffect(r),
                    r.der()));
        }
        return sb.toString();
    }

    private static String timeToEffect(ResultRow r) {
        if (r.timeToEffect() == null) {
            return "not reached";
        }
        return r.asrBefore() < DefenseRun.EFFECT_ASR ? "0 (below before the defense)"
                : String.format(Locale.ROOT, "%.1f", r.timeToEffect());
    }

    /** Every row as CSV with a header. */
    public static String csv(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder("dataset,attack,poison_rate,seed,defense,clean_samples,acc_before,"
                + "asr_before,acc_after,asr_after,racc_after,der,seconds,time_to_effect,detected\n");
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%s,%s%n",
                    r.dataset(), csvField(r.attack()), r.poisonRate(), r.seed(), r.defense(), r.cleanSamples(),
                    r.accBefore(), r.asrBefore(), r.accAfter(), r.asrAfter(), r.raccAfter(), r.der(), r.seconds(),
                    r.timeToEffect() == null ? "" : String.format(Locale.ROOT, "%.2f", r.timeToEffect()),
                    r.detected() == null ? "" : r.detected()));
        }
        return sb.toString();
    }

    /** Attack specs may hold commas (badnets:size=4,row=2): quote them. */
    private static String csvField(String text) {
        return text.contains(",") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /** The attack's registry name, without its options. */
    static String attackName(ResultRow r) {
        return AttackSpec.parse(r.attack()).name();
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.4g%%", 100 * share);
    }

    private static String pair(double acc, double asr) {
        return String.format(Locale.ROOT, "%.2f / %.2f", 100 * acc, 100 * asr);
    }
}
