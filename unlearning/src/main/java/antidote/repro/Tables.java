package antidote.repro;

import antidote.pipeline.DefenseRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The paper-style tables: ACC/ASR before and after per attack and defense (Table 1) and defense time (Table 6). */
public final class Tables {
    private Tables() {
    }

    /** Table 1: one row per dataset and attack, "ACC / ASR" without defense and after each defense. */
    public static String effectiveness(List<ResultRow> rows) {
        Set<String> defenses = new LinkedHashSet<>();
        rows.forEach(r -> defenses.add(r.defense()));
        StringBuilder sb = new StringBuilder("| dataset | attack | no defense |");
        defenses.forEach(d -> sb.append(' ').append(d).append(" |"));
        sb.append("\n|---|---|---|");
        defenses.forEach(d -> sb.append("---|"));
        sb.append('\n');
        for (Map.Entry<String, List<ResultRow>> e : byModel(rows).entrySet()) {
            ResultRow first = e.getValue().get(0);
            sb.append("| ").append(first.dataset()).append(" | ").append(first.attack()).append(" | ")
                    .append(pair(first.accBefore(), first.asrBefore())).append(" |");
            for (String d : defenses) {
                ResultRow r = e.getValue().stream().filter(x -> x.defense().equals(d)).findFirst().orElse(null);
                sb.append(' ').append(r == null ? "-" : pair(r.accAfter(), r.asrAfter())).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nEach cell is ACC / ASR in percent (clean accuracy / attack success rate).\n");
        return sb.toString();
    }

    /** Table 6: seconds each defense ran and the time until ASR fell below 20%. */
    public static String time(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder(
                "| dataset | attack | defense | clean images | defense seconds | seconds to ASR < 20% | DER |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f | %s | %.3f |%n", r.dataset(), r.attack(),
                    r.defense(), r.cleanSamples(), r.seconds(), timeToEffect(r), r.der()));
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
                + "asr_before,acc_after,asr_after,racc_after,der,seconds,time_to_effect\n");
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f,%s%n",
                    r.dataset(), r.attack(), r.poisonRate(), r.seed(), r.defense(), r.cleanSamples(), r.accBefore(),
                    r.asrBefore(), r.accAfter(), r.asrAfter(), r.raccAfter(), r.der(), r.seconds(),
                    r.timeToEffect() == null ? "" : String.format(Locale.ROOT, "%.2f", r.timeToEffect())));
        }
        return sb.toString();
    }

    private static Map<String, List<ResultRow>> byModel(List<ResultRow> rows) {
        Map<String, List<ResultRow>> m = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            String key = r.dataset() + "|" + r.attack() + "|" + r.poisonRate() + "|" + r.seed() + "|" + r.cleanSamples();
            m.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    private static String pair(double acc, double asr) {
        return String.format(Locale.ROOT, "%.2f / %.2f", 100 * acc, 100 * asr);
    }
}
