package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * torchvision's {@code Normalize(mean, std)} as a layer: {@code (x − mean[c]) / std[c]} per channel. Placed in
 * front of a model that was trained on normalised inputs, it lets every defense work in [0,1] pixel space (the
 * papers' perturbation budgets are in pixel units) while the model sees what it was trained on. It holds no
 * state, so it adds nothing to a state dict.
 */
public final class Normalize extends Module {
    private final double[] mean;
    private final double[] std;

    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new IllegalArgumentException("normalisation of channel " + c + ": mean must be finite and std "
                        + "positive, got " + mean[c] + " / " + std[c]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Parses {@code MEAN/STD}, each a comma-separated list with one value per channel (or one for all channels). */
    public static Normalize parse(String text, int channels) {
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--normalize takes MEAN/STD, e.g. 0.4914,0.4822,0.4465/0.247,0.243,0.261;"
                    + " got '" + text + "'");
        }
        double[] mean = perChannel(parts[0], channels, text);
        double[] std = perChannel(parts[1], channels, text);
        return new Normalize(mean, std);
    }

    private static double[] perChannel(String list, int channels, String text) {
        double[] values;
        try {
            values = Arrays.stream(list.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--normalize '" + text + "': '" + list + "' is not a list of numbers");
        }
        if (values.length == 1 && channels > 1) {
            double[] all = new double[channels];
            Arrays.fill(all, values[0]);
            return all;
        }
        if (values.length != channels) {
            throw new IllegalArgumentException("--normalize '" + text + "' gives " + values.length
                    + " values for a model with " + channels + " input channels");
        }
        return values;
    }

    @Override
    public Tensor forward(Tensor x) {
        Shape perChannel = Shape.of(1, mean.length, 1, 1);
        Tensor m = Tensor.fromArray(mean, perChannel, x.device()).to(x.dtype());
        Tensor s = Tensor.fromArray(std, perChannel, x.device()).to(x.dtype());
        return x.sub(m).div(s);
    }

    /** {@code MEAN/STD} as {@link #parse} reads it, for metadata and reports. */
    @Override
    public String toString() {
        return join(mean) + "/" + join(std);
    }

    private static String join(double[] values) {
        return String.join(",", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%s", v)).toList());
    }
}
