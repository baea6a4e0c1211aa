package antidote.repro;

import antidote.pipeline.DefenseRun;
import antidote.pipeline.Defenses;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The comparison table of the I-BAU slides, derived from the measured cells: for each defense, one-trigger-one-
 * target, multi-target, poison-rate insensitive, dataset-agnostic, low clean access (each ✓ or ✗ by a rule printed
 * under the table, or "n/a" when the grid has no cells for it) and the overhead in seconds with its ratio to
 * I-BAU's. Nothing in it is typed in.
 */
public final class Summary {
    /** A defense works on a cell when ASR ends below this ({@link DefenseRun#EFFECT_ASR}) ... */
    static final double ASR_LIMIT = DefenseRun.EFFECT_ASR;
    /** ... and clean accuracy falls by at most this many points. */
    static final double ACC_DROP_POINTS = 5;
    /** Attacks whose triggers send images to several targets. */
    static final Set<String> MULTI_TARGET = Set.of("all-to-all", "multi-trigger");

    private Summary() {
    }

    /** A row of the summary: its name, which cells it judges, and whether the grid has enough of them. */
    private record Criterion(String name, Predicate<ResultRow> cells, String missing) {
    }

    /** The table and, under it, the rules. */
    public static String table(Plan plan, List<ResultRow> rows) {
        double rate = plan.poisonRates().get(0);
        int largest = Collections.max(plan.cleanSamples());
        int smallest = Collections.min(plan.allCleanSamples());
        Predicate<ResultRow> table1 = r -> r.poisonRate() == rate && r.cleanSamples() == largest;
        List<Criterion> criteria = List.of(
                new Criterion("one trigger, one target", table1.and(r -> !multiTarget(r)), "no single-target attack"),
                new Criterion("multi-target", table1.and(Summary::multiTarget), "no multi-target attack"),
                new Criterion("poison-rate insensitive",
                        Tables.variedModels(rows, r -> r.cleanSamples() == largest, ResultRow::poisonRate),
                        "one poison rate"),
                new Criterion("dataset-agnostic", plan.datasets().size() > 1 ? table1 : r -> false, "one dataset"),
                new Criterion("low clean access", smallest < largest
                        ? r -> r.poisonRate() == rate && r.cleanSamples() == smallest : r -> false,
                        "one clean-set size"));
        Set<String> defenses = new LinkedHashSet<>();
        rows.forEach(r -> defenses.add(r.defense()));
        StringBuilder sb = new StringBuilder("| |");
        defenses.forEach(d -> sb.append(' ').append(d).append(" |"));
        sb.append("\n|---|").append("---|".repeat(defenses.size())).append('\n');
        for (Criterion c : criteria) {
            sb.append("| ").append(c.name()).append(" |");
            for (String d : defenses) {
                sb.append(' ').append(verdict(rows.stream().filter(r -> r.defense().equals(d)).filter(c.cells())
                        .toList(), c.missing())).append(" |");
            }
            sb.append('\n');
        }
        sb.append("| overhead (median seconds) |");
        Double ibau = medianSeconds(rows, "ibau");
        for (String d : defenses) {
            Double s = medianSeconds(rows, d);
            sb.append(String.format(Locale.ROOT, " %.1f s%s |", s, ibau == null || d.equals("ibau") ? ""
                    : String.format(Locale.ROOT, " (%.2f× I-BAU)", s / ibau)));
        }
        sb.append(String.format(Locale.ROOT, "%n✓ when, on every cell the row judges, ASR after the defense is below "
                        + "%.0f%% and ACC fell by at most %.0f points (a defense that detected nothing counts as ✗ unless "
                        + "ASR was already below the limit); ✗ otherwise; n/a when the grid has no such cells. Cells "
                        + "judged: one trigger, one target = every attack but %s at poison rate %s and %d clean images; "
                        + "multi-target = %s there; poison-rate insensitive = every poison rate of the attacks measured at "
                        + "several, at %d clean images; "
                        + "dataset-agnostic = every dataset's Table 1 cells; low clean access = %s. Overhead: the "
                        + "median over this defense's cells of its seconds of compute (evaluation excluded), and its "
                        + "ratio to I-BAU's median.%n", 100 * ASR_LIMIT, ACC_DROP_POINTS, MULTI_TARGET,
                Tables.percent(rate), largest, MULTI_TARGET, largest, smallest < largest
                        ? "the smallest clean set (" + smallest + " images)" : "none (one clean-set size)"));
        if (defenses.contains(Defenses.DP)) {
            sb.append("dp is judged by the same rules, its ACC/ASR before being the ordinarily trained model's; its "
                    + "seconds are those of its whole DP-SGD training (per-epoch evaluation included), which replaces "
                    + "the ordinary training instead of following it.\n");
        }
        return sb.toString();
    }

    static String verdict(List<ResultRow> cells, String missing) {
        if (cells.isEmpty()) {
            return "n/a (" + missing + ")";
        }
        return cells.stream().allMatch(Summary::works) ? "✓" : "✗";
    }

    /** The rule printed under the table. */
    static boolean works(ResultRow r) {
        boolean removed = r.asrAfter() < ASR_LIMIT;
        // The tolerance absorbs rounding in the difference of two shares (0.90 − 0.85 is not exactly 0.05).
        boolean kept = 100 * (r.accBefore() - r.accAfter()) <= ACC_DROP_POINTS + 1e-9;
        return removed && kept;
    }

    private static boolean multiTarget(ResultRow r) {
        return MULTI_TARGET.contains(Tables.attackName(r));
    }

    private static Double medianSeconds(List<ResultRow> rows, String defense) {
        List<Double> s = new ArrayList<>(rows.stream().filter(r -> r.defense().equals(defense))
                .map(ResultRow::seconds).toList());
        if (s.isEmpty()) {
            return null;
        }
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
