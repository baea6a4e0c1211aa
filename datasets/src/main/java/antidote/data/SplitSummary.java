package antidote.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Statistics of one split: sample count, samples per class, and per-channel pixel mean and std in [0, 1] units. */
public record SplitSummary(int count, List<Integer> classCounts, List<Double> mean, List<Double> std) {

    /** Computes the statistics of {@code dataset} (population std over all pixels of each channel). */
    public static SplitSummary of(Dataset dataset) {
        int channels = dataset.channels();
        int plane = dataset.height() * dataset.width();
        byte[] pixels = dataset.pixelsView();
        long[] sum = new long[channels];
        long[] sumSquares = new long[channels];
        for (int n = 0; n < dataset.size(); n++) {
            for (int c = 0; c < channels; c++) {
                long s = 0;
                long s2 = 0;
                int start = (n * channels + c) * plane;
                for (int i = start; i < start + plane; i++) {
                    int v = pixels[i] & 0xFF;
                    s += v;
                    s2 += v * v;
                }
                sum[c] += s;
                sumSquares[c] += s2;
            }
        }
        Double[] mean = new Double[channels];
        Double[] std = new Double[channels];
        double count = (double) dataset.size() * plane;
        for (int c = 0; c < channels; c++) {
            double m = count == 0 ? 0 : sum[c] / count;
            double variance = count == 0 ? 0 : Math.max(0, sumSquares[c] / count - m * m);
            mean[c] = m / 255;
            std[c] = Math.sqrt(variance) / 255;
        }
        return new SplitSummary(dataset.size(), Arrays.stream(dataset.classCounts()).boxed().toList(),
                List.of(mean), List.of(std));
    }

    /** The statistics as a JSON-ready map (count, classCounts, mean, std). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("classCounts", classCounts);
        map.put("mean", mean);
        map.put("std", std);
        return map;
    }
}
