package antidote.nn.golden;

import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** The deterministic weights of make_golden.py's {@code pattern} and {@code fill}, computed bit for bit. */
final class GoldenPattern {
    private GoldenPattern() {
    }

    /** Values in [−0.5, 0.5) from an integer hash of (k, i), exactly as the Python script computes them. */
    static double[] pattern(int k, int n) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            long h = (i * 2654435761L + (k * 40503L + 12345L)) % 4294967296L;
            u[i] = h / 4294967296.0 - 0.5;
        }
        return u;
    }

    /** Sets every float state-dict entry of {@code model} as the script's {@code fill} does. */
    static void fill(Module model) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            state.put(name, name.endsWith("num_batches_tracked") ? t : filled(name, t.shape(), pattern(k, t.size()), t));
            k++;
        }
        model.loadStateDict(state);
    }

    private static Tensor filled(String name, Shape shape, double[] u, Tensor like) {
        double[] v = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            if (shape.rank() >= 2) {
                v[i] = u[i] * (2.0 * (1.0 / Math.sqrt(u.length / shape.dim(0))));
            } else if (name.endsWith("running_var") || name.endsWith("weight")) {
                v[i] = 1.0 + 0.5 * u[i];
            } else {
                v[i] = 0.2 * u[i];
            }
        }
        return Tensor.fromArray(v, shape, like.device());
    }
}
